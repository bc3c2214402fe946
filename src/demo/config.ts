/** The demo portfolio's steward.yaml (also committed as examples/demo.steward.yaml). */
export const DEMO_CONFIG = `# Steward portfolio: the offline demo (written by \`steward demo\`).
version: 1
store: steward.db

projects:
  - name: tensorforge
    repo: tensorforge
    branch: main
    packages: [tensorforge]
    tags: refs/tags/v*
    abstraction: get_accelerator()

forks:
  - name: tensorforge-gaudi
    of: tensorforge
    vendor: intel-gaudi
    repo: forks/tensorforge-gaudi
    refs: [refs/heads/1.*]
  - name: tensorforge-rocm
    of: tensorforge
    vendor: amd
    repo: forks/tensorforge-rocm
    refs: [rocm-main]

plugins:
  - name: tensorforge-npu
    repo: plugins/tensorforge-npu
    depends: [tensorforge]
    packages: [tensorforge_npu]

identities:
  affiliations:
    - person: erin.levi@habana.ai
      organization: Intel
      from: "2024-01-01"
    - person: Dan Kowalski
      organization: Intel
      until: "2024-12-31"
    - person: Dan Kowalski
      organization: AMD
      from: "2025-01-01"
  bots: [sw-publisher@habana.ai]

# The gate (steward check): each rule's reason is shown when it fails.
policies:
  neutrality:
    lint:
      reason: Generic code must reach devices through get_accelerator(), not hard-code a vendor.
      maxNew: 0
    concentration:
      reason: No single vendor may hold most of the generic code's vendor-specific lines.
      maxTopShare: {code: 0.6}
  api:
    unannounced:
      reason: Deprecate before you remove - users get one release of warnings first.
    grace:
      reason: A deprecated API lives at least one release and 90 days before removal.
      minReleases: 1
      minDays: 90
      releases: 2
    bump:
      reason: A release's version must say what its API changes break.
  drift:
    debtGrowth:
      reason: A fork's private patch should shrink by upstreaming, not grow unchecked.
      maxPercent: 50
    baseAge:
      reason: Forks must rebase onto upstream at least every six months.
      maxDays: 180
  community:
    elephantFactor:
      reason: No single organisation may carry half the project alone.
      min: 2
    ownership:
      reason: Most of the code must have reviewers from more than one organisation.
      maxSingleOrganizationShare: 0.5
  deps:
    lag:
      reason: Plugins must support a new core release within four months.
      maxDays: 120
    companions:
      reason: The announced release pair must install together.
      sets: [[tensorforge-npu==0.2.0, tensorforge==0.5.0]]
  repositories:
    tensorforge-npu:
      neutrality:
        concentration: false    # a hardware plugin serves one vendor by design
  waivers:
    - policy: neutrality.lint
      repository: tensorforge
      match: "*"
      reason: "Existing CUDA calls predate get_accelerator(); migration tracked in #301."
      owner: alice.chen@microsoft.com
      expires: "2030-12-31"

# Claims re-proven on every scan (steward claims); a lapsed one turns its badge grey.
claims:
  - project: tensorforge
    claim: no single-vendor ownership of tensorforge/accelerator/
    ownership: {path: tensorforge/accelerator/}
  - project: tensorforge
    claim: "supports: amd, intel-gaudi"
    supports: [amd, intel-gaudi]
`;
