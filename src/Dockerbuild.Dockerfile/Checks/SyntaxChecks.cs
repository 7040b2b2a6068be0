using Dockerbuild.Dockerfile.Syntax;

namespace Dockerbuild.Dockerfile.Checks;

/// <summary>
/// Rules about how the file is written rather than what it means: keyword casing, MAINTAINER, empty
/// continuation lines. They read the syntax tree because the keywords' original casing lives there.
/// </summary>
internal static class SyntaxChecks
{
    public static void Run(DockerfileSyntax syntax, FindingSink sink)
    {
        var inStages = new List<InstructionNode>();
        foreach (var node in syntax.Instructions)
        {
            if (node.Name == "from")
            {
                CheckFrom(node, sink);
            }

            CheckDescription(node, sink);

            if (node.Name == "maintainer")
            {
                sink.Report(CheckRules.MaintainerDeprecated, CheckRules.MaintainerDeprecatedMessage(), node.Span);
            }

            if (node.EmptyContinuationLines.Count > 0)
            {
                // BuildKit reports the instruction once, at the line where it ends.
                var end = node.Span with { StartLine = node.Span.EndLine, StartColumn = 1 };
                sink.Report(CheckRules.NoEmptyContinuation, CheckRules.NoEmptyContinuationMessage(), end);
            }

            if (node.Name == "from" || inStages.Count > 0)
            {
                inStages.Add(node);
            }
        }

        CheckCasing(inStages, sink);
    }

    private static void CheckFrom(InstructionNode node, FindingSink sink)
    {
        if (node.Args.Count != 3 || !node.Args[1].Equals("as", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var stageName = node.Args[2];
        if (stageName.ToLowerInvariant() != stageName)
        {
            sink.Report(CheckRules.StageNameCasing, CheckRules.StageNameCasingMessage(stageName), node.Span);
        }

        // A FROM of mixed casing is ConsistentInstructionCasing's to report, not this rule's.
        var keyword = node.Keyword;
        var fromLower = keyword.ToLowerInvariant() == keyword;
        var fromUpper = keyword.ToUpperInvariant() == keyword;
        var @as = node.Args[1];
        var matches = (!fromLower && !fromUpper)
            || (fromLower ? @as.ToLowerInvariant() == @as : @as.ToUpperInvariant() == @as);
        if (!matches)
        {
            sink.Report(CheckRules.FromAsCasing, CheckRules.FromAsCasingMessage(keyword, @as), node.Span);
        }
    }

    /// <summary>
    /// InvalidDefinitionDescription (experimental): the comment right above a named FROM or an ARG should
    /// begin with the stage's (lower-cased) name or one of the ARG's keys, as <c>--call=outline</c> reads it.
    /// </summary>
    private static void CheckDescription(InstructionNode node, FindingSink sink)
    {
        if (node.PrecedingComments.Count == 0 || !sink.IsEnabled(CheckRules.InvalidDefinitionDescription))
        {
            return;
        }

        string[] keys = node.Name switch
        {
            "from" when node.Args.Count == 3 && node.Args[1].Equals("as", StringComparison.OrdinalIgnoreCase) => [node.Args[2].ToLowerInvariant()],
            "arg" => [.. node.Args.Select(arg => arg.Split('=', 2)[0])],
            _ => [],
        };
        if (keys.Length == 0 || keys.Contains(node.PrecedingComments[^1].Split(' ')[0], StringComparer.Ordinal))
        {
            return;
        }

        var example = keys.Length > 1 ? "<arg_key>" : keys[0];
        sink.Report(CheckRules.InvalidDefinitionDescription, CheckRules.InvalidDefinitionDescriptionMessage(node.Keyword.ToUpperInvariant(), example), node.Span);
    }

    /// <summary>
    /// Instructions from the first FROM on (global ARGs do not count, as in BuildKit) should share one
    /// casing: the majority of those written all-lower or all-upper; a tie counts as upper.
    /// </summary>
    private static void CheckCasing(List<InstructionNode> nodes, FindingSink sink)
    {
        int lower = 0, upper = 0;
        foreach (var keyword in nodes.Select(n => n.Keyword))
        {
            if (keyword.ToLowerInvariant() == keyword)
            {
                lower++;
            }
            else if (keyword.ToUpperInvariant() == keyword)
            {
                upper++;
            }
        }

        var majorityLower = lower > upper;
        foreach (var node in nodes)
        {
            var keyword = node.Keyword;
            string? casing = majorityLower
                ? (keyword.ToLowerInvariant() != keyword ? "lowercase" : null)
                : (keyword.ToUpperInvariant() != keyword ? "uppercase" : null);
            if (casing is not null)
            {
                sink.Report(CheckRules.ConsistentInstructionCasing, CheckRules.ConsistentInstructionCasingMessage(keyword, casing), node.Span);
            }
        }
    }
}
