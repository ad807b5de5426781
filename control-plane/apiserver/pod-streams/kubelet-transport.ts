// How the API server dials kubelets for pod streams. A secure server dials HTTPS and presents its
// apiserver-kubelet-client certificate (the kubelet requires a client certificate signed by the cluster
// CA); it does not verify the kubelet's self-signed serving certificate, as kube-apiserver without
// --kubelet-certificate-authority. An --insecure-http server dials plain HTTP.
import http from 'node:http';
import https from 'node:https';

export interface KubeletTransport {
  /** Rewrites a kubelet URL to the scheme this transport speaks. */
  url(base: string, path: string): URL;
  /** The agent for every request to a kubelet: http, or https with the client certificate. */
  agent: http.Agent;
}

/** HTTPS with `client` (PEM certificate and key) when given, else plain HTTP. */
export function kubeletTransport(client: { certPem: string; keyPem: string } | undefined): KubeletTransport {
  if (!client) {
    return { url: (base, path) => new URL(path, base), agent: new http.Agent({ keepAlive: false }) };
  }
  // Not keep-alive: stream requests are long-lived and few; an idle pooled socket would only hold a kubelet connection open.
  const agent = new https.Agent({ keepAlive: false, cert: client.certPem, key: client.keyPem, rejectUnauthorized: false });
  return {
    url: (base, path) => {
      const u = new URL(path, base);
      u.protocol = 'https:';
      return u;
    },
    agent,
  };
}
