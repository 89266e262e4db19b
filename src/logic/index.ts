export { checkInputs, METADATA_MAX_BYTES, PASSWORD_MIN_LENGTH, SECRET_INPUT_NAMES } from "./checkInputs";
export type { CheckFailure, CheckResult } from "./checkInputs";
export { diffUser } from "./diffUser";
export type { UserDiff } from "./diffUser";
export { planUpdate } from "./planUpdate";
export type { ReplaceMetadataParams, UpdateStep, UpdateUserParams } from "./planUpdate";
export { toCreateParams } from "./toCreateParams";
export { toOutputs, toReadInputs } from "./toOutputs";
export { UNKNOWN, containsUnknown, isUnknown } from "./unknown";
