namespace Dockerbuild.Oci.Layers;

/// <summary>What an extraction did: entries applied and what was left out, each with why.</summary>
public sealed record LayerExtractResult(int EntryCount, IReadOnlyList<string> Warnings);
