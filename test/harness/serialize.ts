/** Serialize a dynamic provider object exactly as `pulumi.dynamic.Resource` does (text of `__provider`). */
import * as pulumi from "@pulumi/pulumi";

export async function serializeProvider(provider: object): Promise<string> {
  const sf = await pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true });
  return sf.text;
}
