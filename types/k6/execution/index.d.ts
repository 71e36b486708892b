/** `k6/execution`: where the running code is in the test. @module */
export const scenario: {
  name: string;
  executor: string;
  startTime: number;
  progress: number;
  iterationInInstance: number;
  iterationInTest: number;
};
export const instance: {
  iterationsInterrupted: number;
  iterationsCompleted: number;
  vusActive: number;
  vusInitialized: number;
  currentTestRunDuration: number;
};
export const test: {
  abort(input?: string): void;
  fail(message?: string): void;
  options: Record<string, unknown>;
};
export const vu: {
  iterationInInstance: number;
  iterationInScenario: number;
  idInInstance: number;
  idInTest: number;
  tags: Record<string, number | string | boolean>;
  metrics: {
    tags: Record<string, number | string | boolean>;
    metadata: Record<string, number | string | boolean>;
  };
};
export * as default from "./index.js";
