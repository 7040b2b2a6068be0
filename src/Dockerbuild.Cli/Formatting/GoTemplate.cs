namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// A parsed Go text/template with docker's functions (docker's <c>templates.Parse</c>): parse once,
/// execute per row. Errors are <see cref="TemplateException"/>s worded as Go's.
/// </summary>
internal sealed class GoTemplate
{
    private readonly string source;
    private readonly ListNode tree;

    private GoTemplate(string source, ListNode tree)
    {
        this.source = source;
        this.tree = tree;
    }

    public static GoTemplate Parse(string source) => new(source, TemplateParser.Parse(source, TemplateFunctions.Names));

    public string Execute(object? data)
    {
        var text = TemplateEvaluator.Execute(source, tree, data, header: false, out var error);
        return error is null ? text : throw error;
    }

    /// <summary>
    /// Runs the template over a table's header names with docker's header functions; as docker, an error
    /// ends the header where it happened rather than failing the command.
    /// </summary>
    public string ExecuteHeader(IReadOnlyDictionary<string, object?> headers) =>
        TemplateEvaluator.Execute(source, tree, headers, header: true, out _);
}
