using System.Text.RegularExpressions;
using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Instructions;

/// <summary>
/// Turns one syntax node into its typed instruction: declares and validates its flags and checks its
/// arguments, following BuildKit's instructions/parse.go for what is decided now and what is left,
/// unexpanded, for the build.
/// </summary>
internal static partial class InstructionBinder
{
    public static readonly string[] Keywords =
        ["FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
         "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"];

    public static Instruction Bind(InstructionNode node) => node.Name switch
    {
        "from" => From(node),
        "run" => Run(node),
        "cmd" => new CmdInstruction(node.Keyword, node.Span, node.Original, CommandWithoutFlags(node, "CMD")),
        "entrypoint" => new EntrypointInstruction(node.Keyword, node.Span, node.Original, CommandWithoutFlags(node, "ENTRYPOINT")),
        "label" => new LabelInstruction(node.Keyword, node.Span, node.Original, Pairs(node, "LABEL")),
        "env" => new EnvInstruction(node.Keyword, node.Span, node.Original, Pairs(node, "ENV")),
        "maintainer" => new MaintainerInstruction(node.Keyword, node.Span, node.Original, ExactlyOne(node, "MAINTAINER")),
        "expose" => new ExposeInstruction(node.Keyword, node.Span, node.Original, AtLeastOne(node, "EXPOSE")),
        "add" => Add(node),
        "copy" => Copy(node),
        "volume" => Volume(node),
        "user" => new UserInstruction(node.Keyword, node.Span, node.Original, ExactlyOne(node, "USER")),
        "workdir" => new WorkdirInstruction(node.Keyword, node.Span, node.Original, ExactlyOne(node, "WORKDIR")),
        "arg" => Arg(node),
        "onbuild" => Onbuild(node),
        "stopsignal" => new StopsignalInstruction(node.Keyword, node.Span, node.Original, ExactlyOne(node, "STOPSIGNAL")),
        "healthcheck" => Healthcheck(node),
        "shell" => Shell(node),
        _ => throw new DockerfileException(
            node.Span,
            Suggest.Append($"unknown instruction: {node.Keyword.ToUpperInvariant()}", node.Keyword, Keywords)),
    };

    private static FromInstruction From(InstructionNode node)
    {
        var flags = InstructionFlags.Parse(node, "FROM", ("platform", FlagKind.String));
        var args = node.Args;
        string? stageName = null;
        if (args.Count == 3 && args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            stageName = args[2];
            if (!StageNamePattern().IsMatch(stageName.ToLowerInvariant()))
            {
                throw Error(node, $"invalid name for build stage: \"{stageName}\", name can't start with a number or contain symbols");
            }
        }
        else if (args.Count != 1)
        {
            throw Error(node, "FROM requires either one or three arguments (FROM image [AS name])");
        }

        return new FromInstruction(node.Keyword, node.Span, node.Original, args[0], stageName, flags.String("platform"));
    }

    private static RunInstruction Run(InstructionNode node)
    {
        var flags = InstructionFlags.Parse(
            node, "RUN", ("mount", FlagKind.Strings), ("network", FlagKind.String), ("security", FlagKind.String));
        var mounts = new List<RunMount>();
        foreach (var spec in flags.Strings("mount"))
        {
            try
            {
                mounts.Add(RunMounts.Parse(spec));
            }
            catch (FormatException e)
            {
                throw Error(node, $"invalid --mount={spec}: {e.Message}");
            }
        }

        var network = flags.String("network") switch
        {
            null => (RunNetwork?)null,
            "default" => RunNetwork.Default,
            "none" => RunNetwork.None,
            "host" => RunNetwork.Host,
            var other => throw Error(node, Suggest.Append($"unsupported network mode \"{other}\" (expected default, none or host)", other, ["default", "none", "host"])),
        };
        var security = flags.String("security") switch
        {
            null => (RunSecurity?)null,
            "sandbox" => RunSecurity.Sandbox,
            "insecure" => RunSecurity.Insecure,
            var other => throw Error(node, Suggest.Append($"unsupported security mode \"{other}\" (expected sandbox or insecure)", other, ["sandbox", "insecure"])),
        };
        return new RunInstruction(node.Keyword, node.Span, node.Original, Command(node), mounts, network, security);
    }

    private static AddInstruction Add(InstructionNode node)
    {
        if (node.Args.Count < 2)
        {
            throw NoDestination(node, "ADD");
        }

        var flags = InstructionFlags.Parse(
            node, "ADD", ("exclude", FlagKind.Strings), ("chown", FlagKind.String), ("chmod", FlagKind.String),
            ("link", FlagKind.Bool), ("keep-git-dir", FlagKind.Bool), ("checksum", FlagKind.String), ("unpack", FlagKind.Bool));
        var sources = Sources(node, "ADD");
        var checksum = flags.String("checksum");
        if (checksum is not null)
        {
            if (sources.Paths.Count != 1 || sources.Contents.Count != 0)
            {
                throw Error(node, "ADD --checksum can't be specified for multiple sources");
            }

            if (!checksum.Contains('$', StringComparison.Ordinal) && !DigestPattern().IsMatch(checksum))
            {
                throw Error(node, $"invalid --checksum \"{checksum}\": expected a digest such as sha256:<64 hex digits>");
            }
        }

        return new AddInstruction(
            node.Keyword, node.Span, node.Original, sources, flags.String("chown"), Chmod(node, flags),
            flags.Bool("link"), flags.Bool("keep-git-dir"), checksum, flags.OptionalBool("unpack"), flags.Strings("exclude"));
    }

    private static CopyInstruction Copy(InstructionNode node)
    {
        if (node.Args.Count < 2)
        {
            throw NoDestination(node, "COPY");
        }

        var flags = InstructionFlags.Parse(
            node, "COPY", ("exclude", FlagKind.Strings), ("parents", FlagKind.Bool), ("chown", FlagKind.String),
            ("from", FlagKind.String), ("chmod", FlagKind.String), ("link", FlagKind.Bool));
        var sources = Sources(node, "COPY");
        var from = flags.String("from");
        if (from == "")
        {
            throw Error(node, "COPY --from needs a stage name, stage index, image or context name");
        }

        return new CopyInstruction(
            node.Keyword, node.Span, node.Original, sources, from, flags.String("chown"),
            Chmod(node, flags), flags.Bool("link"), flags.Bool("parents"), flags.Strings("exclude"));
    }

    private static string? Chmod(InstructionNode node, InstructionFlags flags)
    {
        var chmod = flags.String("chmod");
        if (chmod is null || chmod.Contains('$', StringComparison.Ordinal))
        {
            return chmod;
        }

        var octal = chmod.Length > 0 && chmod.All(c => c is >= '0' and <= '7');
        if (octal ? chmod.TrimStart('0').Length > 4 || (chmod.Length > 0 && Convert.ToUInt32(chmod, 8) > 0x0FFF) : !SymbolicModePattern().IsMatch(chmod))
        {
            throw Error(node, $"invalid chmod parameter: '{chmod}'. it should be octal string and between 0 and 07777, or symbolic like u+x");
        }

        return chmod;
    }

    private static SourcesAndDestination Sources(InstructionNode node, string instruction)
    {
        var destination = node.Args[^1];
        if (HeredocFor(node, destination) is not null)
        {
            throw Error(node, $"{instruction} cannot accept a heredoc as a destination");
        }

        var paths = new List<string>();
        var contents = new List<InlineSource>();
        foreach (var source in node.Args.Take(node.Args.Count - 1))
        {
            if (HeredocFor(node, source) is { } heredoc)
            {
                contents.Add(new InlineSource(heredoc.Name, heredoc.Body, heredoc.Expand));
            }
            else
            {
                paths.Add(source);
            }
        }

        return new SourcesAndDestination(paths, contents, destination);
    }

    /// <summary>The heredoc a word like <c>&lt;&lt;EOF</c>, <c>&lt;&lt;-"EOF"</c> or <c>3&lt;&lt;EOF</c> refers to, if any.</summary>
    private static Heredoc? HeredocFor(InstructionNode node, string word)
    {
        if (node.Heredocs.Count == 0)
        {
            return null;
        }

        var match = HeredocWordPattern().Match(word);
        if (!match.Success)
        {
            return null;
        }

        var name = match.Groups["name"].Value;
        return node.Heredocs.FirstOrDefault(h => h.Name == name);
    }

    private static VolumeInstruction Volume(InstructionNode node)
    {
        var paths = AtLeastOne(node, "VOLUME").Select(p => p.Trim()).ToList();
        if (paths.Any(p => p.Length == 0))
        {
            throw Error(node, "VOLUME specified can not be an empty string");
        }

        return new VolumeInstruction(node.Keyword, node.Span, node.Original, paths);
    }

    private static ArgInstruction Arg(InstructionNode node)
    {
        var declarations = new List<ArgDeclaration>();
        foreach (var word in AtLeastOne(node, "ARG"))
        {
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? word : word[..eq];
            if (name.Length == 0)
            {
                throw Error(node, "ARG names can not be blank");
            }

            declarations.Add(new ArgDeclaration(name, eq < 0 ? null : word[(eq + 1)..]));
        }

        return new ArgInstruction(node.Keyword, node.Span, node.Original, declarations);
    }

    private static OnbuildInstruction Onbuild(InstructionNode node)
    {
        NoFlags(node, "ONBUILD");
        if (node.Next is not { } next)
        {
            throw Error(node, "ONBUILD requires at least one argument");
        }

        var trigger = next.Keyword.ToUpperInvariant();
        switch (trigger)
        {
            case "ONBUILD":
                throw Error(node, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER" or "FROM":
                throw Error(node, $"{trigger} isn't allowed as an ONBUILD trigger");
        }

        var expression = OnbuildPrefixPattern().Replace(node.Original, "", 1);
        var heredocs = node.Heredocs.Count > 0 ? node.Heredocs : next.Heredocs;
        foreach (var heredoc in heredocs)
        {
            expression += "\n" + heredoc.Content + heredoc.Name;
        }

        return new OnbuildInstruction(node.Keyword, node.Span, node.Original, Bind(next), expression);
    }

    private static HealthcheckInstruction Healthcheck(InstructionNode node)
    {
        if (node.Args.Count == 0)
        {
            throw Error(node, "HEALTHCHECK requires at least one argument (NONE, or CMD and a command)");
        }

        var type = node.Args[0].ToUpperInvariant();
        var rest = node.Args.Skip(1).ToList();
        if (type == "NONE")
        {
            if (rest.Count != 0)
            {
                throw Error(node, "HEALTHCHECK NONE takes no arguments");
            }

            return new HealthcheckInstruction(node.Keyword, node.Span, node.Original, null, null, null, null, null, null);
        }

        var flags = InstructionFlags.Parse(
            node, "HEALTHCHECK", ("interval", FlagKind.String), ("timeout", FlagKind.String), ("start-period", FlagKind.String),
            ("start-interval", FlagKind.String), ("retries", FlagKind.String));
        if (type != "CMD")
        {
            throw Error(node, $"Unknown type \"{node.Args[0]}\" in HEALTHCHECK (try CMD)");
        }

        if (rest.Count == 0 || (!node.IsJsonForm && rest.All(string.IsNullOrWhiteSpace)))
        {
            throw Error(node, "Missing command after HEALTHCHECK CMD");
        }

        int? retries = null;
        if (flags.String("retries") is { } r)
        {
            if (!int.TryParse(r, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                throw Error(node, $"invalid --retries value \"{r}\": expected a whole number");
            }

            if (n < 0)
            {
                throw Error(node, $"--retries cannot be negative ({n})");
            }

            retries = n;
        }

        var command = new CommandLine(node.IsJsonForm, rest, node.Heredocs);
        return new HealthcheckInstruction(
            node.Keyword, node.Span, node.Original, command, Interval(node, flags, "interval"), Interval(node, flags, "timeout"),
            Interval(node, flags, "start-period"), Interval(node, flags, "start-interval"), retries);
    }

    /// <summary>A HEALTHCHECK duration: absent or 0 means the default; otherwise at least 1ms.</summary>
    private static TimeSpan? Interval(InstructionNode node, InstructionFlags flags, string name)
    {
        if (flags.String(name) is not { Length: > 0 } text)
        {
            return null;
        }

        if (!GoDuration.TryParse(text, out var duration))
        {
            throw Error(node, $"invalid --{name} \"{text}\": expected a duration such as 30s, 1m30s or 500ms");
        }

        if (duration == TimeSpan.Zero)
        {
            return null;
        }

        if (duration < TimeSpan.FromMilliseconds(1))
        {
            throw Error(node, $"Interval \"{name}\" cannot be less than 1ms");
        }

        return duration;
    }

    private static ShellInstruction Shell(InstructionNode node)
    {
        NoFlags(node, "SHELL");
        if (!node.IsJsonForm)
        {
            if (node.Args.Count == 0 || node.Args.All(string.IsNullOrWhiteSpace))
            {
                throw Error(node, "SHELL requires at least one argument");
            }

            throw Error(node, "SHELL requires the arguments to be in JSON form, e.g. SHELL [\"/bin/sh\", \"-c\"]");
        }

        if (node.Args.Count == 0)
        {
            throw Error(node, "SHELL requires at least one argument");
        }

        return new ShellInstruction(node.Keyword, node.Span, node.Original, node.Args);
    }

    private static CommandLine Command(InstructionNode node) => new(node.IsJsonForm, node.Args, node.Heredocs);

    private static CommandLine CommandWithoutFlags(InstructionNode node, string instruction)
    {
        NoFlags(node, instruction);
        return Command(node);
    }

    private static InstructionFlags NoFlags(InstructionNode node, string instruction) => InstructionFlags.Parse(node, instruction);

    private static List<KeyValue> Pairs(InstructionNode node, string instruction)
    {
        NoFlags(node, instruction);
        var args = node.Args;
        if (args.Count == 0)
        {
            throw Error(node, $"{instruction} requires at least one argument");
        }

        if (args.Count % 3 != 0)
        {
            throw Error(node, $"Bad input to {instruction}, too many arguments");
        }

        var pairs = new List<KeyValue>(args.Count / 3);
        for (var i = 0; i < args.Count; i += 3)
        {
            if (args[i].Length == 0)
            {
                throw Error(node, $"{instruction} names can not be blank");
            }

            pairs.Add(new KeyValue(args[i], args[i + 1], args[i + 2].Length == 0));
        }

        return pairs;
    }

    private static string ExactlyOne(InstructionNode node, string instruction)
    {
        NoFlags(node, instruction);
        return node.Args.Count == 1
            ? node.Args[0]
            : throw Error(node, $"{instruction} requires exactly one argument");
    }

    private static IReadOnlyList<string> AtLeastOne(InstructionNode node, string instruction)
    {
        NoFlags(node, instruction);
        return node.Args.Count > 0
            ? node.Args
            : throw Error(node, $"{instruction} requires at least one argument");
    }

    private static DockerfileException NoDestination(InstructionNode node, string instruction) =>
        Error(node, $"{instruction} requires at least two arguments, but only one was provided. Destination could not be determined");

    private static DockerfileException Error(InstructionNode node, string reason) => InstructionFlags.Error(node, reason);

    [GeneratedRegex("^[a-z][a-z0-9-_.]*$")]
    private static partial Regex StageNamePattern();

    [GeneratedRegex("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")]
    private static partial Regex DigestPattern();

    [GeneratedRegex("^[ugoa]*[-+=]([rwxXst]*|[ugo])(,[ugoa]*[-+=]([rwxXst]*|[ugo]))*$")]
    private static partial Regex SymbolicModePattern();

    [GeneratedRegex("""^[0-9]*<<-?(?<q>["']?)(?<name>[^"'\s]+)\k<q>$""")]
    private static partial Regex HeredocWordPattern();

    [GeneratedRegex(@"(?i)^\s*ONBUILD\s*")]
    private static partial Regex OnbuildPrefixPattern();
}
