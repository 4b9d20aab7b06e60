import { z } from 'zod';
import { Deployment } from '../../src/storage/models/Deployment';
import { Platform, PlatformDoc, PLATFORM_KINDS } from '../../src/storage/models/Platform';

/** A registration as an admin enters it (or as the platform's setup screen shows it). */
export const platformInputSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(200),
  kind: z.enum(PLATFORM_KINDS),
  issuer: z.string().trim().url('must be a URL'),
  clientId: z.string().trim().min(1, 'is required').max(255),
  authUrl: z.string().trim().url('must be a URL'),
  tokenUrl: z.string().trim().url('must be a URL'),
  jwksUrl: z.string().trim().url('must be a URL'),
  tenant: z.string().trim().max(255).optional(),
  deploymentIds: z.array(z.string().trim().min(1).max(255)).default([]),
  registeredVia: z.enum(['manual', 'dynamic', 'canvas_json', 'openedx_setup', 'demo']).default('manual'),
});
export type PlatformInput = z.input<typeof platformInputSchema>;

/**
 * Creates or updates a registration keyed by (issuer, client id) and adds its deployment ids (existing
 * deployments are kept). Used by the admin area and the demo set-up.
 */
export async function savePlatform(input: PlatformInput): Promise<PlatformDoc> {
  const data = platformInputSchema.parse(input);
  const platform = await Platform.findOneAndUpdate(
    { issuer: data.issuer, clientId: data.clientId },
    {
      $set: {
        name: data.name,
        kind: data.kind,
        authUrl: data.authUrl,
        tokenUrl: data.tokenUrl,
        jwksUrl: data.jwksUrl,
        tenant: data.tenant || null,
        registeredVia: data.registeredVia,
      },
      $setOnInsert: { status: 'active' },
    },
    { upsert: true, returnDocument: 'after' },
  ).lean<PlatformDoc>().orFail();
  for (const deploymentId of new Set(data.deploymentIds)) {
    await Deployment.updateOne({ platformId: platform._id, deploymentId }, { $set: { status: 'active' }, $setOnInsert: { label: '' } }, { upsert: true });
  }
  return platform;
}
