using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerbuild.Oci.Json;

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(DigestConverter), typeof(GoTimeConverter), typeof(SortedMapConverter)])]
[JsonSerializable(typeof(Descriptor))]
[JsonSerializable(typeof(Platform))]
[JsonSerializable(typeof(ImageManifest))]
[JsonSerializable(typeof(ImageIndex))]
[JsonSerializable(typeof(ImageConfig))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class OciJsonContext : JsonSerializerContext;
