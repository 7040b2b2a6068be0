using System.Text.Json;
using System.Text.Json.Serialization;
using Dockerbuild.Dockerfile.Instructions;

namespace Dockerbuild.Cli.Commands;

/// <summary>
/// The JSON of <c>dockerbuild parse --format json</c>, generated at compile time so that the native
/// (AOT) tool needs no reflection: web defaults (camelCase names), indented, nulls left out, enums as
/// camelCase strings. The instructions' polymorphism (an <c>instruction</c> discriminator) comes from
/// the attributes on <see cref="Instruction"/>. Every enum the bound model holds needs its converter
/// here: without one the generated code would print it as a number.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [
        typeof(CamelCaseEnumConverter<MountType>),
        typeof(CamelCaseEnumConverter<MountSharing>),
        typeof(CamelCaseEnumConverter<RunNetwork>),
        typeof(CamelCaseEnumConverter<RunSecurity>),
    ])]
[JsonSerializable(typeof(IReadOnlyList<BoundDockerfile>))]
internal sealed partial class ParseJsonContext : JsonSerializerContext;
