/**
 * The built-in map from email domains to the organisations active in
 * AI infrastructure, as data (editable: the config's `identities.domains`
 * adds or overrides entries). Matched by longest suffix: `us.ibm.com` ->
 * `ibm.com`. Subsidiaries map to their parent where the parent employs the
 * contributors (habana.ai -> Intel, since Intel's acquisition in 2019).
 * Sources: company domains as they appear in the git history of PyTorch,
 * vLLM, DeepSpeed and Ray; shared/research/community.md.
 */
export const ORG_DOMAINS: Record<string, string> = {
  "nvidia.com": "NVIDIA",
  "amd.com": "AMD",
  "xilinx.com": "AMD",
  "intel.com": "Intel",
  "habana.ai": "Intel",
  "google.com": "Google",
  "deepmind.com": "Google",
  "microsoft.com": "Microsoft",
  "meta.com": "Meta",
  "fb.com": "Meta",
  "huawei.com": "Huawei",
  "hisilicon.com": "Huawei",
  "amazon.com": "Amazon",
  "amazon.de": "Amazon",
  "ibm.com": "IBM",
  "redhat.com": "Red Hat",
  "anyscale.com": "Anyscale",
  "apple.com": "Apple",
  "qualcomm.com": "Qualcomm",
  "alibaba-inc.com": "Alibaba",
  "bytedance.com": "ByteDance",
  "tencent.com": "Tencent",
  "baidu.com": "Baidu",
  "cambricon.com": "Cambricon",
  "arm.com": "Arm",
  "databricks.com": "Databricks",
  "snowflake.com": "Snowflake",
  "huggingface.co": "Hugging Face",
  "neuralmagic.com": "Red Hat",
  "cerebras.net": "Cerebras",
  "graphcore.ai": "Graphcore",
  "groq.com": "Groq",
  "sambanovasystems.com": "SambaNova",
  "modular.com": "Modular",
  "berkeley.edu": "UC Berkeley",
  "mit.edu": "MIT",
  "stanford.edu": "Stanford",
  "linux.dev": "Linux Foundation",
  "linuxfoundation.org": "Linux Foundation",
};

/**
 * Webmail and personal-forwarding domains: the address says nothing about an
 * employer, so the commit is *unknown*, never "independent" (research §5,
 * pitfall 2).
 */
export const WEBMAIL = new Set([
  "gmail.com",
  "googlemail.com",
  "outlook.com",
  "hotmail.com",
  "live.com",
  "msn.com",
  "yahoo.com",
  "yahoo.co.jp",
  "icloud.com",
  "me.com",
  "mac.com",
  "proton.me",
  "protonmail.com",
  "pm.me",
  "qq.com",
  "163.com",
  "126.com",
  "foxmail.com",
  "sina.com",
  "naver.com",
  "yandex.ru",
  "mail.ru",
  "gmx.de",
  "gmx.net",
  "web.de",
  "fastmail.com",
  "hey.com",
  "users.noreply.github.com",
  "localhost",
  "localhost.localdomain",
]);

/** Known automation accounts (besides the `[bot]` suffix GitHub gives App users). */
export const KNOWN_BOTS = [
  /\[bot\]@users\.noreply\.github\.com$/i,
  /^(?:noreply|no-reply)@github\.com$/i,
  /^(?:pytorchbot|pytorchmergebot|facebook-github-bot|dependabot|renovate|github-actions|mergify|jenkins|zuul|bors|vllmellm|deepspeedbot|ray-ci|ci-bot)\b/i,
];
