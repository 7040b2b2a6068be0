using System.Text.Json;
using System.Text.Json.Serialization;
using Dockerbuild.Publish.Diagnostics;

namespace Dockerbuild.Publish;

/// <summary>
/// How the DockerfileBuild task talks to the native host: the <see cref="ProjectImageRequest"/> as one
/// JSON document on the host's stdin; back on its stdout, one JSON event per line, written as the build
/// goes (a message, a diagnostic, and last the result when the build succeeded). The task replays each
/// event into MSBuild's log as it arrives, so step lines show live.
/// </summary>
public static class HostProtocol
{
    public static void WriteRequest(Stream stream, ProjectImageRequest request) =>
        JsonSerializer.Serialize(stream, request, HostJsonContext.Default.ProjectImageRequest);

    public static ProjectImageRequest ReadRequest(Stream stream) =>
        JsonSerializer.Deserialize(stream, HostJsonContext.Default.ProjectImageRequest)
        ?? throw new InvalidDataException("the request is empty");

    public static string Line(HostEvent value) => JsonSerializer.Serialize(value, HostJsonContext.Default.HostEvent);

    /// <summary>Null for a line that is not an event (the host never writes one; a crash might).</summary>
    public static HostEvent? ReadEvent(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, HostJsonContext.Default.HostEvent);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One line of the host's output: exactly one of its parts is set.</summary>
public sealed record HostEvent
{
    public LogImportance? Importance { get; init; }

    /// <summary>The message, with <see cref="Importance"/>.</summary>
    public string? Text { get; init; }

    public LoggedDiagnostic? Diagnostic { get; init; }

    public ProjectImageResult? Result { get; init; }
}

/// <summary>Writes the build's log as events, one line each, flushed at once so the task shows them live.</summary>
public sealed class HostEventWriter(TextWriter output) : IBuildLog
{
    private readonly Lock gate = new();

    public void Message(LogImportance importance, string text) => Write(new HostEvent { Importance = importance, Text = text });

    public void Diagnostic(LoggedDiagnostic diagnostic) => Write(new HostEvent { Diagnostic = diagnostic });

    public void Result(ProjectImageResult result) => Write(new HostEvent { Result = result });

    private void Write(HostEvent value)
    {
        var line = HostProtocol.Line(value);
        lock (gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }
}

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProjectImageRequest))]
[JsonSerializable(typeof(HostEvent))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
