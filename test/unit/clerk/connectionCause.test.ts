/**
 * Naming the cause of a transport failure: the pure mapping from Node's error chain, and the credential-free
 * probe against real sockets on this machine (refused, reserved port, TLS to a plain-HTTP port, DNS, no answer).
 * Does not prove what a corporate proxy or a real certificate problem looks like.
 */
import { createServer as createHttpServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { describeConnectionError, probeConnection } from "../../../src/clerk/connectionCause";

const chain = (code: string | undefined, message = "x") =>
  Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error(message), code ? { code } : {}) });

describe("describeConnectionError", () => {
  it.each([
    ["ECONNREFUSED", "connection refused (ECONNREFUSED)"],
    ["ENOTFOUND", "DNS lookup failed: host not found (ENOTFOUND)"],
    ["EAI_AGAIN", "DNS lookup failed: temporary failure (EAI_AGAIN)"],
    ["ECONNRESET", "connection reset (ECONNRESET)"],
    ["UND_ERR_CONNECT_TIMEOUT", "connection timed out (UND_ERR_CONNECT_TIMEOUT)"],
    ["EHOSTUNREACH", "host unreachable (EHOSTUNREACH)"],
    ["ERR_SSL_WRONG_VERSION_NUMBER", "TLS handshake failed (ERR_SSL_WRONG_VERSION_NUMBER)"],
    ["DEPTH_ZERO_SELF_SIGNED_CERT", "TLS certificate rejected (DEPTH_ZERO_SELF_SIGNED_CERT)"],
    ["CERT_HAS_EXPIRED", "TLS certificate rejected (CERT_HAS_EXPIRED)"],
    ["ERR_TLS_CERT_ALTNAME_INVALID", "TLS certificate rejected (ERR_TLS_CERT_ALTNAME_INVALID)"],
    ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", "TLS certificate rejected (UNABLE_TO_VERIFY_LEAF_SIGNATURE)"],
  ])("%s → %s", (code, text) => {
    expect(describeConnectionError(chain(code))).toBe(text);
  });

  it("names fetch's reserved ports, timeouts, and otherwise says only 'network error' (never free text)", () => {
    expect(describeConnectionError(chain(undefined, "bad port"))).toBe(
      "the port is one fetch refuses to use (a reserved port such as 9); use another",
    );
    expect(describeConnectionError(new DOMException("The operation was aborted due to timeout", "TimeoutError"))).toBe(
      "no answer in time",
    );
    expect(describeConnectionError(chain(undefined, "secret sk_test_abc in a message"))).toBe("network error");
    expect(describeConnectionError(Object.assign(new Error("m"), { code: "EWEIRD" }))).toBe("network error (EWEIRD)");
    expect(describeConnectionError("not an error")).toBe("network error");
  });
});

describe("probeConnection", () => {
  const listen = <S extends Server | ReturnType<typeof createNetServer>>(server: S): Promise<number> =>
    new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
  const close = (server: { close(cb: () => void): unknown }) => new Promise<void>((r) => server.close(() => r()));

  it("an HTTP answer of any status is reachable; the probe sends no credentials", async () => {
    const seen: { method?: string | undefined; url?: string | undefined; auth?: string | undefined }[] = [];
    const server = createHttpServer((req, res) => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization });
      res.writeHead(404).end();
    });
    const port = await listen(server);
    try {
      await expect(probeConnection(`http://127.0.0.1:${port}`)).resolves.toEqual({ reachable: true, status: 404 });
      expect(seen).toEqual([{ method: "HEAD", url: "/", auth: undefined }]);
    } finally {
      await close(server);
    }
  });

  it("a closed port: connection refused", async () => {
    const server = createNetServer();
    const port = await listen(server);
    await close(server);
    await expect(probeConnection(`http://127.0.0.1:${port}`)).resolves.toEqual({
      reachable: false,
      cause: "connection refused (ECONNREFUSED)",
    });
  });

  it("port 9 (the issue's example): fetch refuses it before connecting", async () => {
    await expect(probeConnection("http://127.0.0.1:9")).resolves.toEqual({
      reachable: false,
      cause: "the port is one fetch refuses to use (a reserved port such as 9); use another",
    });
  });

  it("https to a plain-HTTP port: TLS handshake failed", async () => {
    const server = createHttpServer((_req, res) => res.end("plain"));
    const port = await listen(server);
    try {
      const probe = await probeConnection(`https://127.0.0.1:${port}`);
      expect(probe).toEqual({
        reachable: false,
        cause: expect.stringMatching(/^TLS handshake failed \(ERR_SSL_[A-Z_]+\)$/),
      });
    } finally {
      server.closeAllConnections();
      await close(server);
    }
  });

  it("a name that cannot resolve (.invalid is reserved): DNS lookup failed", async () => {
    const probe = await probeConnection("http://pulumi-clerk-probe.invalid");
    expect(probe).toEqual({
      reachable: false,
      cause: expect.stringMatching(
        /^DNS lookup failed: (host not found \(ENOTFOUND\)|temporary failure \(EAI_AGAIN\))$/,
      ),
    });
  });

  it("a server that accepts but never answers: no answer in time", async () => {
    const sockets: { destroy(): void }[] = [];
    const server = createNetServer((socket) => void sockets.push(socket));
    const port = await listen(server);
    try {
      await expect(probeConnection(`http://127.0.0.1:${port}`, { timeoutMs: 200 })).resolves.toEqual({
        reachable: false,
        cause: "no answer in time",
      });
    } finally {
      for (const s of sockets) s.destroy();
      await close(server);
    }
  });
});
