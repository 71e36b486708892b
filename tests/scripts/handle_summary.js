// handleSummary's return value decides what is printed and written
// (MODE: files, falsy, throw, empty, options).
export const options = { iterations: 1 };

export function setup() {
  return { from: "setup" };
}

export default function () {}

export function handleSummary(data) {
  switch (__ENV.MODE) {
    case "files":
      return {
        stdout: "custom stdout\n",
        stderr: "custom stderr\n",
        [__ENV.TEXT_FILE]: JSON.stringify(data.setup_data),
        [__ENV.BINARY_FILE]: new Uint8Array([1, 2, 3]).buffer,
      };
    case "falsy":
      return undefined;
    case "throw":
      throw new Error("summary broke");
    case "empty":
      return {};
    case "options":
      return {
        stdout: JSON.stringify({ options: data.options, state: data.state }),
      };
  }
}
