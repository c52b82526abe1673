import { GatewayError } from '../errors.js';
import { bearer, fingerprint, type CredentialLease, type CredentialRequest, type CredentialSource } from './credential.js';

/** No server credential configured: each request uses the client's own Authorization (or x-api-key). */
export class ClientAuthorizationSource implements CredentialSource {
  describe(): string {
    return 'credential source: client authorization (no server keys configured)';
  }

  async acquire(req: CredentialRequest): Promise<CredentialLease> {
    const authorization = req.clientAuthorization ?? (req.clientApiKey ? bearer(req.clientApiKey) : undefined);
    if (!authorization) {
      throw new GatewayError('authentication', 'No Factory credential: the gateway has no keys configured and the request carries no Authorization or x-api-key header');
    }
    return { authorization, fingerprint: `client-${fingerprint(authorization)}`, report: () => ({ failover: false }), usage: () => undefined };
  }
}
