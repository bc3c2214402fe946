/**
 * Colours that mean the same thing on every page: each hardware vendor of the
 * neutrality taxonomy has one fixed colour, and an organisation that is a
 * vendor takes its vendor's colour. Drawn from the Okabe–Ito and Paul Tol
 * (muted) palettes, both designed to stay distinct under the common forms of
 * colour blindness; legends and tables always name the key in words as well.
 */
export const VENDOR_COLORS: Record<string, string> = {
  nvidia: "#009E73",
  amd: "#D55E00",
  "intel-xpu": "#0072B2",
  "intel-gaudi": "#56B4E9",
  apple: "#666666",
  "google-tpu": "#E69F00",
  "aws-neuron": "#DDCC77",
  "huawei-ascend": "#CC79A7",
  cambricon: "#882255",
  cpu: "#999933",
  "cuda-api": "#332288",
  "hccl-api": "#44AA99",
  "xla-api": "#AA4499",
};

/** Organisation names (lower case) that are a vendor of the taxonomy. */
const ORG_VENDOR: Record<string, string> = {
  nvidia: "nvidia",
  amd: "amd",
  intel: "intel-xpu",
  habana: "intel-gaudi",
  apple: "apple",
  google: "google-tpu",
  amazon: "aws-neuron",
  aws: "aws-neuron",
  huawei: "huawei-ascend",
  cambricon: "cambricon",
};

/** For anything else (organisations, dependents): distinct from the vendor colours above. */
const OTHER = ["#661100", "#117733", "#AA3377", "#4477AA", "#EE7733", "#33BBEE", "#BBBBBB", "#EE3377", "#0099BB", "#997700"];

/** The grey of "unknown" (unattributed commits, unresolved owners). */
export const UNKNOWN_COLOR = "#c8c8c8";

/** Status colours (also shown in words). */
export const COLORS = { debt: "#D55E00", upstreamed: "#009E73", diverged: "#E69F00", neutral: "#0072B2", announced: "#009E73", unannounced: "#D55E00", grid: "#e3e3e3" };

export function vendorColor(vendor: string): string {
  return VENDOR_COLORS[vendor] ?? otherColor(vendor);
}

/** A stable colour for a name that is not a vendor: the same name gets the same colour on every page. */
export function otherColor(name: string): string {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return OTHER[(h >>> 0) % OTHER.length]!;
}

/** An organisation's colour: its vendor's when it is one, grey when unknown. */
export function orgColor(name: string): string {
  const k = name.toLowerCase();
  if (k === "unknown" || k === "(unknown)") return UNKNOWN_COLOR;
  const v = ORG_VENDOR[k] ?? Object.entries(ORG_VENDOR).find(([o]) => k.startsWith(o + " "))?.[1];
  return v ? VENDOR_COLORS[v]! : otherColor(name);
}
