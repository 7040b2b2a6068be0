using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Caching;

/// <summary>What a step produced: the whole config after it and the layer blobs matching its diffIDs.</summary>
public sealed record CachedStep(ImageConfig Config, IReadOnlyList<Descriptor> Layers);
