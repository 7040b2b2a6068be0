using Dockerbuild.Dockerfile.Expansion;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// A stage after some of its steps: the image config so far (env, user, workdir, shell, history and
/// rootfs diffIDs live there), the layer blobs matching <c>Config.RootFs.DiffIds</c> one to one, the
/// variables in scope, and the cache key of the chain that produced it.
/// </summary>
public sealed record StageState(ImageConfig Config, IReadOnlyList<Descriptor> Layers, StageArgScope Scope, string CacheKey)
{
    /// <summary>Whether CMD was set in this stage (ENTRYPOINT then keeps it, else resets the inherited one).</summary>
    public bool CmdSet { get; init; }

    /// <summary>The platform the stage is built for (FROM --platform, its base stage's, else the target); RUN executes for it.</summary>
    public Platform Platform { get; init; } = Planning.BuildPlanner.Native;
}
