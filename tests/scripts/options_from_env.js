// The options come from __ENV.OPTIONS (JSON), so one script serves every
// configuration case of the exit-code suite.
export const options = JSON.parse(__ENV.OPTIONS || "{}");

export default function () {}
