import { CanvasApiKey, type CanvasApiKeyDoc } from '../../storage/models/CanvasApiKey';
import { secrets } from '../../storage/secrets';

/** A Canvas API developer key with its secret opened, ready for the token endpoint. */
export interface CanvasApiCredentials {
  apiBase: string;
  clientId: string;
  clientSecret: string;
}

/** Saves (or replaces) the API developer key of a Canvas tenant; the secret is sealed at rest. */
export async function saveCanvasApiKey(input: { tenant: string } & CanvasApiCredentials): Promise<void> {
  await CanvasApiKey.updateOne(
    { tenant: input.tenant },
    { $set: { apiBase: input.apiBase.replace(/\/+$/, ''), clientId: input.clientId, sealedSecret: secrets().seal(input.clientSecret) } },
    { upsert: true },
  );
}

/** The API developer key of a tenant, or undefined when the admin has not configured one. */
export async function canvasApiKeyFor(tenant: string): Promise<CanvasApiCredentials | undefined> {
  const key = await CanvasApiKey.findOne({ tenant }).lean<CanvasApiKeyDoc>();
  if (!key) return undefined;
  return { apiBase: key.apiBase, clientId: key.clientId, clientSecret: secrets().open(key.sealedSecret) };
}
