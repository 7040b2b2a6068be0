using System.Text.Json;

namespace Dockerbuild.Publish.Incremental;

/// <summary>The stamps' JSON files under obj/: read leniently (any failure means no stamp), written atomically.</summary>
internal static class StampJson
{
    /// <returns>What <paramref name="read"/> makes of the root object, or null when the file is missing, unreadable, of another format or malformed.</returns>
    public static T? TryRead<T>(string path, string format, Func<JsonElement, T> read)
        where T : class
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream);
            var json = document.RootElement;
            return json.GetProperty("format").GetString() == format ? read(json) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>One object with "format" first and <paramref name="write"/>'s properties, written whole or not at all: a temporary file renamed over the old one.</summary>
    public static void Write(string path, string format, Action<Utf8JsonWriter> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            using (var stream = File.Create(temporary))
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteString("format", format);
                write(json);
                json.WriteEndObject();
            }

            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
