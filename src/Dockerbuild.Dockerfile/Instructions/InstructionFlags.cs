using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>
/// The leading <c>--flags</c> of one instruction, checked against the flags that instruction declares,
/// as BuildKit's BFlags does: names are case-sensitive, a string flag needs <c>=value</c> and may appear
/// once, a repeatable flag collects every value, a bool flag takes nothing or true/false.
/// </summary>
internal sealed class InstructionFlags
{
    private readonly Dictionary<string, List<string>> values = new(StringComparer.Ordinal);

    private InstructionFlags()
    {
    }

    public static InstructionFlags Parse(InstructionNode node, string instruction, params (string Name, FlagKind Kind)[] declared)
    {
        var flags = new InstructionFlags();
        foreach (var raw in node.Flags)
        {
            if (!raw.StartsWith("--", StringComparison.Ordinal))
            {
                throw Error(node, $"{instruction} flag should start with --: {raw}");
            }

            if (raw == "--")
            {
                break;
            }

            var text = raw[2..];
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? text : text[..eq];
            var value = eq < 0 ? null : text[(eq + 1)..];
            var index = Array.FindIndex(declared, d => d.Name == name);
            if (index < 0)
            {
                var message = declared.Length == 0
                    ? $"unknown flag: --{name} ({instruction} takes no flags)"
                    : Suggest.Append($"unknown flag: --{name} for {instruction}", $"--{name}", declared.Select(d => $"--{d.Name}"), caseSensitive: true);
                throw Error(node, message);
            }

            var kind = declared[index].Kind;
            if (flags.values.TryGetValue(name, out var seen) && kind != FlagKind.Strings)
            {
                throw Error(node, $"duplicate flag specified: --{name}");
            }

            switch (kind)
            {
                case FlagKind.Bool:
                    if (value == "")
                    {
                        throw Error(node, $"missing a value on flag: --{name}");
                    }

                    var lower = value?.ToLowerInvariant() ?? "true";
                    if (lower is not ("true" or "false"))
                    {
                        throw Error(node, $"expecting boolean value for flag --{name}, not: {value}");
                    }

                    value = lower;
                    break;
                case FlagKind.String or FlagKind.Strings when value is null:
                    throw Error(node, $"missing a value on flag: --{name} (write --{name}=VALUE)");
            }

            if (seen is null)
            {
                seen = [];
                flags.values[name] = seen;
            }

            seen.Add(value!);
        }

        return flags;
    }

    public string? String(string name) => values.TryGetValue(name, out var v) ? v[^1] : null;

    public IReadOnlyList<string> Strings(string name) => values.TryGetValue(name, out var v) ? v : [];

    public bool Bool(string name) => String(name) == "true";

    /// <summary>Null when the flag was not given, so "absent" and "false" stay distinct (ADD --unpack).</summary>
    public bool? OptionalBool(string name) => values.ContainsKey(name) ? Bool(name) : null;

    public static DockerfileException Error(InstructionNode node, string reason) => new(node.Span, reason);
}
