/** AI verdict: evidence → prompt → provider (OpenAI-compatible or HolmesGPT) → verdict, with a rules fallback. */
export * from './ai-env';
export * from './evidence';
export * from './holmesgpt-provider';
export * from './json-extract';
export * from './judge';
export * from './openai-provider';
export * from './prompt';
export * from './provider';
export * from './rules';
export * from './sanitize';
export * from './verdict';
