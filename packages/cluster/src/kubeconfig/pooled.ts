import { KubeConfig, type RequestContext } from '@kubernetes/client-node';

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/**
 * client-node 2 gives every API request a new undici Agent (KubeConfig.applySecurityAuthentication),
 * so each request opens its own connection with a full TLS handshake: about 4 ms of CPU on each
 * side before the request is even sent, on every step of `ffk intercept`. This KubeConfig lets
 * its requests share the first Agent and its kept-alive connections, as kubectl's do, whenever
 * the TLS material cannot change between requests: a credential plugin (exec, auth-provider) may
 * hand out a new client certificate, so those users keep one Agent per request.
 */
export class PooledKubeConfig extends KubeConfig {
  private shared?: Dispatcher;

  override async applySecurityAuthentication(context: RequestContext): Promise<void> {
    await super.applySecurityAuthentication(context);
    const own = context.getDispatcher();
    const user = this.getCurrentUser();
    if (!own || user?.exec || user?.authProvider) return;
    if (!this.shared) {
      this.shared = own;
      return;
    }
    void own.close(); // never used: no connection to close, only the object
    context.setDispatcher(this.shared);
  }
}
