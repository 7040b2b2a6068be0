using System.Text.Json.Serialization;

namespace Dockerbuild.Oci.Storage;

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StoredIndex))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
