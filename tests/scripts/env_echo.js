// Logs what __ENV holds of FROM_PROCESS and FROM_FLAG.
export const options = { iterations: 1 };

export default function () {
  console.log(JSON.stringify({
    fromProcess: __ENV.FROM_PROCESS ?? null,
    fromFlag: __ENV.FROM_FLAG ?? null,
  }));
}
