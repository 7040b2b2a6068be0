using System.Text;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// The functions a docker template can call: docker's own (json, split, join, title, lower, upper, pad,
/// truncate) and Go's builtins (print, printf, println, len, index, eq, ne, lt, le, gt, ge, not; and/or are
/// evaluated lazily by <see cref="TemplateEvaluator"/>). For a table's header docker swaps its own for
/// ones that return their argument, so the header shows the column name.
/// </summary>
internal static class TemplateFunctions
{
    public static readonly HashSet<string> Names =
        ["json", "split", "join", "title", "lower", "upper", "pad", "truncate", "print", "printf", "println", "len", "index", "eq", "ne", "lt", "le", "gt", "ge", "not", "and", "or"];

    private static readonly HashSet<string> HeaderIdentity = ["json", "split", "join", "title", "lower", "upper", "truncate"];

    public static object? Call(string name, IReadOnlyList<object?> args, bool header)
    {
        if (header && HeaderIdentity.Contains(name))
        {
            Arity(name, args, name is "json" or "title" or "lower" or "upper" ? 1 : 2);
            return args[0] is string s ? s : throw WrongType(args[0], "string");
        }

        switch (name)
        {
            case "json":
                Arity(name, args, 1);
                return GoValues.Json(args[0]);
            case "split":
                Arity(name, args, 2);
                var separator = String(args[1]);
                var source = String(args[0]);
                return (IReadOnlyList<string>)(separator.Length == 0
                    ? [.. source.EnumerateRunes().Select(rune => rune.ToString())]
                    : source.Split(separator));
            case "join":
                Arity(name, args, 2);
                return string.Join(String(args[1]), Strings(args[0]));
            case "title":
                Arity(name, args, 1);
                return Title(String(args[0]));
            case "lower":
                Arity(name, args, 1);
                return String(args[0]).ToLowerInvariant();
            case "upper":
                Arity(name, args, 1);
                return String(args[0]).ToUpperInvariant();
            case "pad":
                Arity(name, args, 3);
                var text = String(args[0]);
                return text.Length == 0 ? text : new string(' ', Count(args[1])) + text + new string(' ', Count(args[2]));
            case "truncate":
                Arity(name, args, 2);
                var whole = String(args[0]);
                var length = Int(args[1]);
                // Go slices bytes; for the ASCII docker prints, the same as characters.
                return length < 0 ? throw new TemplateException($"error calling truncate: slice bounds out of range [:{length}]")
                    : whole.Length < length ? whole : whole[..(int)length];
            case "print":
                return Sprint(args);
            case "println":
                return string.Join(' ', args.Select(GoValues.Print)) + "\n";
            case "printf":
                if (args.Count == 0)
                {
                    throw new TemplateException("wrong number of args for printf: want at least 1 got 0");
                }

                return GoPrintf.Format(String(args[0]), [.. args.Skip(1)]);
            case "len":
                Arity(name, args, 1);
                return args[0] switch
                {
                    string s => (long)Encoding.UTF8.GetByteCount(s),
                    IReadOnlyList<string> list => list.Count,
                    IReadOnlyList<object?> list => list.Count,
                    IReadOnlyDictionary<string, object?> map => map.Count,
                    var other => throw new TemplateException($"error calling len: len of type {GoValues.TypeName(other)}"),
                };
            case "index":
                if (args.Count == 0)
                {
                    throw new TemplateException("wrong number of args for index: want at least 1 got 0");
                }

                return args.Skip(1).Aggregate(args[0], Index);
            case "not":
                Arity(name, args, 1);
                return !GoValues.IsTrue(args[0]);
            case "eq":
                if (args.Count < 2)
                {
                    throw new TemplateException($"wrong number of args for eq: want at least 2 got {args.Count}");
                }

                return args.Skip(1).Any(other => Compare(name, args[0], other) == 0);
            case "ne" or "lt" or "le" or "gt" or "ge":
                Arity(name, args, 2);
                var order = Compare(name, args[0], args[1]);
                return name switch { "ne" => order != 0, "lt" => order < 0, "le" => order <= 0, "gt" => order > 0, _ => order >= 0 };
            default:
                throw new TemplateException($"function \"{name}\" not defined");
        }
    }

    private static void Arity(string name, IReadOnlyList<object?> args, int count)
    {
        if (args.Count != count)
        {
            throw new TemplateException($"wrong number of args for {name}: want {count} got {args.Count}");
        }
    }

    private static TemplateException WrongType(object? value, string expected) =>
        new($"wrong type for value; expected {expected}; got {GoValues.TypeName(value)}");

    private static string String(object? value) => value as string ?? throw WrongType(value, "string");

    private static long Int(object? value) => value is long l ? l : throw WrongType(value, "int");

    private static int Count(object? value) => (int)Math.Clamp(Int(value), 0, 1 << 20);

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        IReadOnlyList<string> list => list,
        _ => throw WrongType(value, "[]string"),
    };

    // fmt.Sprint: a space between operands when neither is a string.
    private static string Sprint(IReadOnlyList<object?> args)
    {
        var text = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            if (i > 0 && args[i] is not string && args[i - 1] is not string)
            {
                text.Append(' ');
            }

            text.Append(GoValues.Print(args[i]));
        }

        return text.ToString();
    }

    private static object? Index(object? item, object? key) => (item, key) switch
    {
        (IReadOnlyList<string> list, long i) => i >= 0 && i < list.Count ? list[(int)i] : throw new TemplateException($"error calling index: index out of range: {i}"),
        (IReadOnlyList<object?> list, long i) => i >= 0 && i < list.Count ? list[(int)i] : throw new TemplateException($"error calling index: index out of range: {i}"),
        (IReadOnlyDictionary<string, object?> map, string k) => map.GetValueOrDefault(k),
        (TemplateRecord, _) or (null, _) => throw new TemplateException($"error calling index: can't index item of type {GoValues.TypeName(item)}"),
        (IReadOnlyList<string> or IReadOnlyList<object?> or IReadOnlyDictionary<string, object?>, _) => throw new TemplateException($"error calling index: cannot index slice/array with type {GoValues.TypeName(key)}"),
        _ => throw new TemplateException($"error calling index: can't index item of type {GoValues.TypeName(item)}"),
    };

    // Go compares basic kinds only, and ints with ints, floats with floats.
    private static int Compare(string name, object? a, object? b) => (a, b) switch
    {
        (null, null) => 0,
        (string x, string y) => string.CompareOrdinal(x, y),
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (bool x, bool y) when name is "eq" or "ne" => x == y ? 0 : 1,
        (null, _) or (_, null) when name is "eq" or "ne" => 1,
        _ when a?.GetType() == b?.GetType() => throw new TemplateException($"error calling {name}: invalid type for comparison"),
        _ => throw new TemplateException($"error calling {name}: incompatible types for comparison"),
    };

    // strings.Title: upper-case each letter that follows a separator (not a letter, digit or '_').
    private static string Title(string text)
    {
        var result = new StringBuilder(text.Length);
        var previous = new Rune(' ');
        foreach (var rune in text.EnumerateRunes())
        {
            result.Append((IsSeparator(previous) ? Rune.ToUpperInvariant(rune) : rune).ToString());
            previous = rune;
        }

        return result.ToString();
    }

    private static bool IsSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
        {
            return !(char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '_');
        }

        return !Rune.IsLetterOrDigit(r) && Rune.IsWhiteSpace(r);
    }
}
