namespace Dockerbuild.Cli.Formatting;

/// <summary>
/// A value with fixed fields, what docker's formatter contexts are to a template: <c>.Name</c> of a field
/// that does not exist is an error (a map's missing key is not), and <c>json</c> writes every field.
/// </summary>
internal sealed record TemplateRecord(string TypeName, IReadOnlyDictionary<string, object?> Fields);
