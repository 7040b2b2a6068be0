using Dockerbuild.Engine.Runtime;
using Dockerbuild.Oci.Registry;

namespace Dockerbuild.Engine.Execution;

/// <summary>How the engine runs: the OCI runtime, the registry client for pulls, progress, parallelism.</summary>
public sealed record BuildEngineOptions
{
    /// <summary>runc by default.</summary>
    public IOciRuntime? Runtime { get; init; }

    /// <summary>Pulls bases missing from the local store; without one a missing base is an error.</summary>
    public RegistryClient? Registry { get; init; }

    public IProgress<BuildEvent>? Progress { get; init; }

    /// <summary>Per-blob progress of a push to the tags' registries (<c>--output type=registry</c>).</summary>
    public IProgress<TransferProgress>? PushProgress { get; init; }

    /// <summary>What ADD fetches URLs with; a private client per build when null.</summary>
    public HttpClient? Http { get; init; }

    /// <summary>How many independent stages build at once.</summary>
    public int MaxParallelStages { get; init; } = 2;

    /// <summary>Where binfmt_misc is mounted: a RUN for a foreign platform needs an emulator registered there.</summary>
    public string BinfmtDirectory { get; init; } = Planning.Emulators.BinfmtDirectory;

    public SnapshotKind Snapshots { get; init; } = SnapshotKind.Auto;

    /// <summary>
    /// Run the build checks as BuildKit does during a build (findings reported as warnings, a failure
    /// under <c># check=error=true</c>), with the base images' env and shell known.
    /// </summary>
    public bool RunChecks { get; init; } = true;
}
