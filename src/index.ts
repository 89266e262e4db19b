export { ClerkUser } from "./resource/ClerkUser";
export type { ClerkUserArgs } from "./resource/ClerkUserArgs";
export { clerkUserProvider } from "./provider/clerkUserProvider";
export { ClerkProviderError, ErrorCode } from "./errors/ClerkProviderError";
export { MARKER_KEY, readMarker, type ManagedByMarker } from "./marker/managedByMarker";
export type { UserInputs, ManagedBy, PasswordHasher } from "./model/UserInputs";
export type { UserOutputs } from "./model/UserOutputs";
export type { JsonObject, JsonValue } from "./model/json";
