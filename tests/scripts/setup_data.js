// Each VU gets its own copy of the setup data and changes it; teardown gets
// the data as setup returned it.
export const options = {
  scenarios: {
    main: { executor: "per-vu-iterations", vus: 3, iterations: 2 },
  },
};

export function setup() {
  return { list: [1], nested: { count: 0 } };
}

export default function (data) {
  data.list.push(__VU);
  data.nested.count++;
  console.log(JSON.stringify({ vu: __VU, iter: __ITER, data }));
}

export function teardown(data) {
  console.log(`teardown ${JSON.stringify(data)}`);
}
