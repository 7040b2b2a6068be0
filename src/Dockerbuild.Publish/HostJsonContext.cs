using System.Text.Json.Serialization;

namespace Dockerbuild.Publish;

[JsonSourceGenerationOptions(UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ProjectImageRequest))]
[JsonSerializable(typeof(HostEvent))]
internal sealed partial class HostJsonContext : JsonSerializerContext;
