import { ok, type Handler } from "./context";

/** `GET /v1/instance`: the instance's id and environment type (spec `Instance`; no origins, no workspace). */
export const getInstance: Handler = (ctx) =>
  ok({
    object: "instance",
    id: ctx.instance.id,
    environment_type: ctx.instance.environmentType,
    allowed_origins: null,
    workspace_id: null,
  });
