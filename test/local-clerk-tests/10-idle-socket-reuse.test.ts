/**
 * Regression (issue 10): `ECONNRESET` when a client reused an idle keep-alive socket just as the local Clerk
 * closed it. Node's http server closes a connection after 5 s idle (plus a 1 s buffer); a client whose event loop
 * was blocked for longer still holds the socket as usable and writes its next request into a connection the server
 * is closing. The server now never closes idle connections itself; the client does, on its own timer.
 */
import { startLocalClerk, type LocalClerk } from "../local-clerk";

let server: LocalClerk;
beforeAll(async () => {
  server = await startLocalClerk();
});
afterAll(() => server.close());

const count = async (): Promise<Response> =>
  fetch(`${server.url}/v1/users/count`, { headers: { Authorization: `Bearer ${server.secretKey}` } });

it("advertises no idle timeout, so only the client decides when an idle connection ends", async () => {
  const res = await count();
  await res.text();
  expect(res.headers.get("connection")).toBe("keep-alive");
  expect(res.headers.get("keep-alive")).toBeNull();
});

it("a request on a socket left idle past Node's server timeout while the client was blocked succeeds", async () => {
  await (await count()).text(); // leaves one idle keep-alive socket in the client's pool
  // Block this event loop (without spinning the CPU) past the server's former 5 s + 1 s idle timeout, then send the
  // next request before any timer runs: the client still sees the socket as alive, as a busy process would.
  const status = await new Promise<number>((resolve, reject) => {
    setImmediate(() => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 6_500);
      count().then((r) => resolve(r.status), reject);
    });
  });
  expect(status).toBe(200);
});
