using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dockerbuild.Cli.Commands;

/// <summary>An enum as its camelCase name; constructible without arguments, as a source-generated context's converters must be.</summary>
internal sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase)
    where TEnum : struct, Enum;
