using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Context;

namespace Dockerbuild.Engine.Execution.Copy;

/// <summary>
/// One COPY or ADD, its words already expanded by the caller. <see cref="Source"/> is where sources
/// are read (the build context, a stage's or image's root filesystem for --from, a named context);
/// <see cref="Target"/> is the image's root filesystem before this step (null for scratch), read for
/// what the destination already is and for --chown names.
/// </summary>
public sealed record CopyRequest
{
    /// <summary>Source paths or globs as written (relative to the source root; ADD also takes http(s) URLs).</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>Heredoc sources; <see cref="InlineSource.Data"/> must already be expanded when it should be.</summary>
    public IReadOnlyList<InlineSource> InlineSources { get; init; } = [];

    public required string Destination { get; init; }

    /// <summary>The stage's WORKDIR, against which a relative destination is taken.</summary>
    public string WorkingDirectory { get; init; } = "/";

    public required ISourceFileSystem Source { get; init; }

    /// <summary>Names the source in error messages, as BuildKit names the ref: "context", a stage name, an image.</summary>
    public string SourceName { get; init; } = "context";

    public ISourceFileSystem? Target { get; init; }

    public bool IsAdd { get; init; }

    public string? Chown { get; init; }

    public string? Chmod { get; init; }

    /// <summary>--link: the layer must not depend on the destination, so <see cref="Target"/> is only used for --chown names.</summary>
    public bool Link { get; init; }

    public bool Parents { get; init; }

    public IReadOnlyList<string> Excludes { get; init; } = [];

    /// <summary>ADD --checksum=sha256:... for URL sources.</summary>
    public string? Checksum { get; init; }

    /// <summary>ADD --unpack: null is BuildKit's default (local archives unpack, URLs do not).</summary>
    public bool? Unpack { get; init; }

    /// <summary>Time for what the step creates itself (missing parents, heredoc files, URLs without Last-Modified); null: now.</summary>
    public DateTimeOffset? CreatedTime { get; init; }
}
