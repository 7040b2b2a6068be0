using System.Text.Json;

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
