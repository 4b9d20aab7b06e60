/** Keepup's LTI endpoints under one public base URL (PUBLIC_URL, or the request's own origin when unset). */
export interface ToolUrls {
  base: string;
  login: string;
  launch: string;
  jwks: string;
  register: string;
  canvasConfig: string;
  redirectUris: string[];
}

/** The tool URLs for a base such as `https://keepup.example.edu`. */
export function toolUrls(base: string): ToolUrls {
  const root = base.replace(/\/+$/, '');
  const launch = `${root}/lti/launch`;
  return {
    base: root,
    login: `${root}/lti/login`,
    launch,
    jwks: `${root}/.well-known/jwks.json`,
    register: `${root}/lti/register`,
    canvasConfig: `${root}/lti/config/canvas.json`,
    redirectUris: [launch],
  };
}

/** The base URL for a request: PUBLIC_URL when configured, else the origin the request arrived at (trust proxy is on). */
export function publicBase(publicUrl: string | undefined, req: { protocol: string; get(name: string): string | undefined }): string {
  return publicUrl ?? `${req.protocol}://${req.get('host')}`;
}
