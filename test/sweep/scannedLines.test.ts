import { scannedLines, type Listed } from "../../src/sweep/runSweep";
import { selectMarked } from "../../src/sweep/selectMarked";
import { SWEEP_KINDS, type SweepKind } from "../../src/sweep/sweepKinds";
import { NOW, makeOrganization, makeUser, markerV2 } from "./fixtures";

const [ORGANIZATIONS, USERS] = SWEEP_KINDS as [SweepKind, SweepKind];

function listed(kind: SweepKind, items: Listed["items"]): Listed {
  return { kind, items, selected: selectMarked(items, { stacks: ["ci-1"] }, NOW) };
}

describe("the stderr lines after listing", () => {
  it("say per kind, organizations first, how many were scanned, carry the marker and match", () => {
    const orgs = [
      makeOrganization({ id: "org_1", privateMetadata: markerV2("app", "ci-1", "t") }),
      makeOrganization({ id: "org_2", privateMetadata: markerV2("app", "prod", "t") }),
      makeOrganization({ id: "org_3" }),
    ];
    const users = [makeUser({ id: "user_1", privateMetadata: markerV2("app", "ci-1", "u") })];
    expect(scannedLines([listed(ORGANIZATIONS, orgs), listed(USERS, users)])).toEqual([
      "scanned 3 organizations: 2 carry the pulumi-clerk marker, 1 match the filters",
      "scanned 1 users: 1 carry the pulumi-clerk marker, 1 match the filters",
    ]);
  });

  it("count what Clerk listed without private_metadata: its marker cannot be read, so it is left alone", () => {
    const blind = makeOrganization({ id: "org_blind" });
    delete (blind as { private_metadata?: unknown }).private_metadata;
    const orgs = [blind, makeOrganization({ id: "org_2", privateMetadata: markerV2("app", "ci-1", "t") })];
    expect(scannedLines([listed(ORGANIZATIONS, orgs)])).toEqual([
      "scanned 2 organizations: 1 carry the pulumi-clerk marker, 1 match the filters",
      "note: Clerk listed 1 organizations without private_metadata: their marker cannot be read, so they are left alone",
    ]);
  });

  it("say why a kind had nothing to scan", () => {
    const off: Listed = { kind: ORGANIZATIONS, items: [], selected: [], unavailable: "organizations are off" };
    expect(scannedLines([off, listed(USERS, [])])).toEqual([
      "organizations are off",
      "scanned 0 users: 0 carry the pulumi-clerk marker, 0 match the filters",
    ]);
  });
});
