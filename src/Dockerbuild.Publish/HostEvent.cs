using Dockerbuild.Publish.Diagnostics;

namespace Dockerbuild.Publish;

/// <summary>One line of the host's output: exactly one of its parts is set.</summary>
public sealed record HostEvent
{
    public LogImportance? Importance { get; init; }

    /// <summary>The message, with <see cref="Importance"/>.</summary>
    public string? Text { get; init; }

    public LoggedDiagnostic? Diagnostic { get; init; }

    public ProjectImageResult? Result { get; init; }
}
