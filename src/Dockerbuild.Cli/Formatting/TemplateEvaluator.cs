using System.Text;

namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// Executes a parsed template over a value as Go's text/template does: dot, <c>$</c> and declared variables
/// (scoped to their block), field chains on records and maps, pipelines passing their value as the last
/// argument, lazy <c>and</c>/<c>or</c>, and the branches. Errors name the line, column and action as Go's
/// <c>template: :L:C: executing "" at &lt;...&gt;: ...</c>.
/// </summary>
internal sealed class TemplateEvaluator
{
    private readonly string source;
    private readonly bool header;
    private readonly StringBuilder output = new();
    private readonly List<(string Name, object? Value)> variables = [];

    private TemplateEvaluator(string source, bool header)
    {
        this.source = source;
        this.header = header;
    }

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    /// <summary>Runs <paramref name="tree"/>; on error, <paramref name="partial"/> holds what was written before it.</summary>
    public static string Execute(string source, ListNode tree, object? data, bool header, out TemplateException? error)
    {
        var evaluator = new TemplateEvaluator(source, header);
        evaluator.variables.Add(("$", data));
        error = null;
        try
        {
            evaluator.Walk(data, tree);
        }
        catch (TemplateException e)
        {
            error = e;
        }

        return evaluator.output.ToString();
    }

    private Flow Walk(object? dot, TemplateNode node)
    {
        switch (node)
        {
            case TextNode text:
                output.Append(text.Text);
                return Flow.Normal;
            case ListNode list:
                foreach (var child in list.Nodes)
                {
                    if (Walk(dot, child) is var flow and not Flow.Normal)
                    {
                        return flow;
                    }
                }

                return Flow.Normal;
            case ActionNode action:
                var value = EvalPipeline(dot, action.Pipe);
                if (action.Pipe.Variables.Count == 0)
                {
                    // An action prints its value; a nil one is Go's "<no value>".
                    output.Append(value is null ? "<no value>" : GoValues.Print(value));
                }

                return Flow.Normal;
            case BranchNode branch:
                return Branch(dot, branch);
            case LoopControlNode control:
                return control.IsBreak ? Flow.Break : Flow.Continue;
            default:
                throw new InvalidOperationException($"unknown node {node.GetType().Name}");
        }
    }

    private Flow Branch(object? dot, BranchNode branch)
    {
        var mark = variables.Count;
        try
        {
            if (branch.Kind != BranchKind.Range)
            {
                var value = EvalPipeline(dot, branch.Pipe);
                if (GoValues.IsTrue(value))
                {
                    return Walk(branch.Kind == BranchKind.With ? value : dot, branch.Body);
                }

                return branch.Else is null ? Flow.Normal : Walk(dot, branch.Else);
            }

            // range declares its variables per element, not from the pipeline's value.
            var collection = EvalPipeline(dot, branch.Pipe with { Variables = [] });
            var any = false;
            foreach (var (key, item) in Items(branch, collection))
            {
                any = true;
                var inner = variables.Count;
                if (branch.Pipe.Variables.Count == 1)
                {
                    variables.Add((branch.Pipe.Variables[0], item));
                }
                else if (branch.Pipe.Variables.Count == 2)
                {
                    variables.Add((branch.Pipe.Variables[0], key));
                    variables.Add((branch.Pipe.Variables[1], item));
                }

                var flow = Walk(item, branch.Body);
                variables.RemoveRange(inner, variables.Count - inner);
                if (flow == Flow.Break)
                {
                    break;
                }
            }

            return any || branch.Else is null ? Flow.Normal : Walk(dot, branch.Else);
        }
        finally
        {
            variables.RemoveRange(mark, variables.Count - mark);
        }
    }

    // Lazily: ranging over a large int streams rather than building a list first.
    private IEnumerable<(object? Key, object? Item)> Items(BranchNode branch, object? collection) => collection switch
    {
        null => [],
        IReadOnlyList<string> list => list.Select((item, i) => ((object?)(long)i, (object?)item)),
        IReadOnlyList<object?> list => list.Select((item, i) => ((object?)(long)i, item)),
        IReadOnlyDictionary<string, object?> map => GoValues.Sorted(map).Select(pair => ((object?)pair.Key, pair.Value)),
        long count => Count(count),
        _ => throw Error(branch.Pipe, $"range can't iterate over {GoValues.Print(collection)}"),
    };

    private static IEnumerable<(object? Key, object? Item)> Count(long count)
    {
        for (long i = 0; i < count; i++)
        {
            yield return (i, i);
        }
    }

    private object? EvalPipeline(object? dot, PipeNode pipe)
    {
        object? value = null;
        var piped = false;
        foreach (var command in pipe.Commands)
        {
            value = EvalCommand(dot, command, piped, value);
            piped = true;
        }

        foreach (var name in pipe.Variables)
        {
            if (pipe.IsAssign)
            {
                var at = variables.FindLastIndex(v => v.Name == name);
                if (at < 0)
                {
                    throw Error(pipe, $"undefined variable: {name}");
                }

                variables[at] = (name, value);
            }
            else
            {
                variables.Add((name, value));
            }
        }

        return value;
    }

    private object? EvalCommand(object? dot, CommandNode command, bool piped, object? final)
    {
        var first = command.Args[0];
        if (first is IdentifierNode function)
        {
            return Call(dot, command, function.Name, piped, final);
        }

        if (command.Args.Count > 1 || piped)
        {
            throw Error(first, first is FieldNode or ChainNode or VariableNode { Names.Count: > 0 }
                ? $"{first.Source} is not a method but has arguments"
                : $"can't give argument to non-function {first.Source}");
        }

        return EvalArg(dot, first);
    }

    private object? Call(object? dot, CommandNode command, string name, bool piped, object? final)
    {
        var argNodes = command.Args.Skip(1).ToList();
        if (name is "and" or "or")
        {
            // Go evaluates and/or lazily: the first false (and) or true (or) argument ends it.
            var count = argNodes.Count + (piped ? 1 : 0);
            if (count < 1)
            {
                throw Error(command, $"wrong number of args for {name}: want at least 1 got 0");
            }

            object? value = null;
            for (var i = 0; i < count; i++)
            {
                value = i < argNodes.Count ? EvalArg(dot, argNodes[i]) : final;
                if (GoValues.IsTrue(value) == (name == "or"))
                {
                    return value;
                }
            }

            return value;
        }

        var args = argNodes.Select(arg => EvalArg(dot, arg)).ToList();
        if (piped)
        {
            args.Add(final);
        }

        try
        {
            return TemplateFunctions.Call(name, args, header);
        }
        catch (TemplateException e)
        {
            throw Error(command, e.Message);
        }
    }

    private object? EvalArg(object? dot, ArgNode arg) => arg switch
    {
        DotNode => dot,
        LiteralNode literal => literal.Value,
        FieldNode field => Fields(field, dot, field.Names),
        VariableNode variable => Fields(variable, Variable(variable), variable.Names),
        ChainNode chain => Fields(chain, EvalArg(dot, chain.Node), chain.Names),
        PipeNode pipe => EvalPipeline(dot, pipe),
        IdentifierNode function => Call(dot, new CommandNode(function.Position, function.Source, [function]), function.Name, false, null),
        CommandNode command => EvalCommand(dot, command, false, null),
        _ => throw Error(arg, $"can't evaluate {arg.Source}"),
    };

    private object? Variable(VariableNode node)
    {
        var at = variables.FindLastIndex(v => v.Name == node.Name);
        return at >= 0 ? variables[at].Value : throw Error(node, $"undefined variable: {node.Name}");
    }

    private object? Fields(ArgNode node, object? value, IReadOnlyList<string> names)
    {
        foreach (var name in names)
        {
            value = value switch
            {
                TemplateRecord record => record.Fields.TryGetValue(name, out var field)
                    ? field
                    : throw Error(node, $"can't evaluate field {name} in type {record.TypeName}"),
                IReadOnlyDictionary<string, object?> map => map.GetValueOrDefault(name),
                null => throw Error(node, $"nil pointer evaluating interface {{}}.{name}"),
                _ => throw Error(node, $"can't evaluate field {name} in type {GoValues.TypeName(value)}"),
            };
        }

        return value;
    }

    private TemplateException Error(TemplateNode node, string message)
    {
        if (message.StartsWith("template: ", StringComparison.Ordinal))
        {
            return new TemplateException(message);
        }

        var line = TemplateLexer.LineOf(source, node.Position);
        var lineStart = source.LastIndexOf('\n', Math.Max(node.Position - 1, 0)) + 1;
        if (node.Position == 0)
        {
            lineStart = 0;
        }

        var at = node is ArgNode arg ? arg.Source : "";
        return new TemplateException($"template: :{line}:{node.Position - lineStart}: executing \"\" at <{at}>: {message}");
    }
}
