using System.Collections;
using System.Collections.Frozen;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Dockerbuild.Oci.Json;

/// <summary>
/// Reads and writes the image documents with the field names and omission rules Docker and the OCI Go
/// types use: empty strings, lists, maps, false and zero are left out (Go's <c>omitempty</c>) except the
/// fields the Go structs always write. Writing is compact and deterministic (maps sorted), so what we
/// create has one canonical byte form.
/// </summary>
public static class OciJson
{
    // Fields Go writes even when empty, keyed "Type.jsonName".
    private static readonly FrozenSet<string> AlwaysWritten = new[]
    {
        "Descriptor.mediaType", "Descriptor.digest", "Descriptor.size",
        "Platform.architecture", "Platform.os",
        "ImageManifest.schemaVersion", "ImageManifest.config", "ImageManifest.layers",
        "ImageIndex.schemaVersion", "ImageIndex.manifests",
        "ImageConfig.architecture", "ImageConfig.os", "ImageConfig.config", "ImageConfig.rootfs",
        "RootFs.type", "RootFs.diff_ids",
    }.ToFrozenSet(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static byte[] Serialize<T>(T value)
        where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(value, TypeInfo<T>());

    /// <summary>Parses a document, throwing <see cref="OciFormatException"/> when it is not a valid <typeparamref name="T"/>.</summary>
    public static T Deserialize<T>(ReadOnlySpan<byte> json)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, TypeInfo<T>())
                ?? throw new OciFormatException($"Expected a JSON object for {typeof(T).Name}, found null.");
        }
        catch (Exception e) when (e is JsonException or ArgumentNullException)
        {
            throw new OciFormatException($"Invalid {typeof(T).Name} JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The media type a manifest-like document (schemaVersion 2) declares, or the one its shape implies
    /// when the optional OCI <c>mediaType</c> field is absent; null when it is neither a manifest nor an
    /// index (an image config, a layer, schema 1).
    /// </summary>
    public static string? DetectMediaType(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            string? declared = null;
            bool hasManifests = false, hasLayers = false, isVersion2 = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("mediaType"u8))
                {
                    reader.Read();
                    declared = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    continue;
                }

                if (reader.ValueTextEquals("schemaVersion"u8))
                {
                    reader.Read();
                    isVersion2 = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version) && version == 2;
                    continue;
                }

                hasManifests |= reader.ValueTextEquals("manifests"u8);
                hasLayers |= reader.ValueTextEquals("layers"u8);
                reader.Read();
                reader.Skip();
            }

            return !isVersion2 ? null
                : !string.IsNullOrEmpty(declared) ? declared
                : hasManifests ? MediaTypes.OciIndex
                : hasLayers ? MediaTypes.OciManifest
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    internal static JsonTypeInfo<T> TypeInfo<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(OciJsonContext.Default.Options)
        {
            TypeInfoResolver = OciJsonContext.Default.WithAddedModifier(OmitEmpty),
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.MakeReadOnly();
        return options;
    }

    private static void OmitEmpty(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        foreach (var property in type.Properties)
        {
            if (!property.IsExtensionData && !AlwaysWritten.Contains(type.Type.Name + "." + property.Name))
            {
                property.ShouldSerialize = static (_, value) => !IsEmpty(value);
            }
        }
    }

    private static bool IsEmpty(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0,
        bool flag => !flag,
        int number => number == 0,
        long number => number == 0,
        TimeSpan span => span == TimeSpan.Zero,
        ICollection collection => collection.Count == 0,
        IReadOnlyCollection<string> strings => strings.Count == 0,
        IEnumerable sequence => !sequence.GetEnumerator().MoveNext(),
        _ => false,
    };
}
