using Dockerbuild.Engine.Execution;

namespace Dockerbuild.Cli.Progress;

/// <summary>
/// Where a build's progress goes: the steps as they happen, then the export and the final state.
/// Disposing ends a display that was neither finished nor failed (the build threw something else).
/// </summary>
internal interface IBuildDisplay : IProgress<BuildEvent>, IDisposable
{
    /// <summary>The build succeeded: show the export (image id, names, manifest) and the final state.</summary>
    /// <param name="platformManifests">For a multi-platform build, each platform's manifest digest; <paramref name="manifestDigest"/> is then the index's.</param>
    void Finish(string imageId, IReadOnlyList<string> tags, string manifestDigest, IReadOnlyList<string>? platformManifests = null);

    /// <summary>The build failed: show the final state; the caller then prints the error.</summary>
    void Fail();
}
