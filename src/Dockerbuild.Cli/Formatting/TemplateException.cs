namespace Dockerbuild.Cli.Formatting;

/// <summary>A template that does not parse or cannot execute; the message reads as Go's text/template error.</summary>
internal sealed class TemplateException(string message) : Exception(message);
