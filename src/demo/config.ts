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

policies: {}
`;
