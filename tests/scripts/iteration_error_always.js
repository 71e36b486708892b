// Every iteration throws, with one of two messages.
export default function () {
  throw new Error(__ITER % 2 === 0 ? "even iteration" : "odd iteration");
}
