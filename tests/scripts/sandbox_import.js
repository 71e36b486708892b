// A static import of a Node.js built-in: refused at load in the sandbox,
// passed to the runtime under --no-sandbox.
import { hostname } from "node:os";

export default function () {
  console.log(`escaped import: ${typeof hostname()}`);
}
