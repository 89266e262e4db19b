export * from "./wire";
export * from "./errors";
export * from "./processes";
export * from "./provider-host";
export * from "./serialize";
export * from "./capture";
export * from "./concurrency";
export * from "./engine";
