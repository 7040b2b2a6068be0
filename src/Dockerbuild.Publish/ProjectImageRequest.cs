namespace Dockerbuild.Publish;

/// <summary>
/// What the DockerfileBuild task asks for, as plain data: its properties and items, with the paths as
/// MSBuild gave them (relative ones resolve against <see cref="ProjectDirectory"/> or the working
/// directory, as the task's would). Serialized to the native host; it never carries a secret's value,
/// only the variable or file that holds it. Settable properties: a member missing from the JSON keeps
/// its default (source-generated JSON would set a missing init-only one to null).
/// </summary>
public sealed record ProjectImageRequest
{
    public string Dockerfile { get; set; } = "";

    public string ContextDirectory { get; set; } = "";

    public string ProjectDirectory { get; set; } = "";

    public string ProjectName { get; set; } = "";

    public string Target { get; set; } = "";

    public Dictionary<string, string> BuildArgs { get; set; } = [];

    /// <summary>NAME to a directory or <c>docker-image://REF</c>.</summary>
    public Dictionary<string, string> BuildContexts { get; set; } = [];

    public string PublishDirectory { get; set; } = "";

    public List<ProjectImageSecret> Secrets { get; set; } = [];

    public Dictionary<string, string> Labels { get; set; } = [];

    public string Registry { get; set; } = "";

    public string Repository { get; set; } = "";

    public List<string> Tags { get; set; } = [];

    public string ArchiveOutputPath { get; set; } = "";

    public bool NoCache { get; set; }

    public string StoreRoot { get; set; } = "";

    public string StampFile { get; set; } = "";

    public string StampExcludedDirectory { get; set; } = "";
}
