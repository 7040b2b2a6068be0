namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>One ENV or LABEL pair, as written: quotes and variables are left for the engine to process.</summary>
/// <param name="Key">The key word, unprocessed.</param>
/// <param name="Value">The value word(s), unprocessed (quotes kept).</param>
/// <param name="IsLegacyForm">True for <c>ENV key value</c> (no <c>=</c>), which LegacyKeyValueFormat reports.</param>
public sealed record KeyValue(string Key, string Value, bool IsLegacyForm);
