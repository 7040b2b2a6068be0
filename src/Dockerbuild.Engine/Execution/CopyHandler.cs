using Dockerbuild.Dockerfile;
using Dockerbuild.Dockerfile.Instructions;
using Dockerbuild.Engine.Context;
using Dockerbuild.Engine.Execution.Copy;
using Dockerbuild.Oci;

namespace Dockerbuild.Engine.Execution;

/// <summary>
/// COPY and ADD: the words are expanded here, the sources chosen (context, a stage, an image, a named
/// context) and handed to <see cref="CopyPlanner"/>, whose plan gives both the layer entries and the
/// input digest that goes into the step's cache key. Planning comes before the cache lookup; writing
/// the layer only on a miss.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal sealed class CopyHandler(BuildSession session, BaseImageResolver bases)
{
    public async Task<(CopyPlan Plan, string CreatedBy)> PlanAsync(Instruction instruction, StageState state, DateTimeOffset created, CancellationToken cancellationToken)
    {
        var (sources, from, chown, chmod, link, parents, excludes, isAdd, checksum, unpack) = instruction switch
        {
            CopyInstruction c => (c.Sources, c.From, c.Chown, c.Chmod, c.Link, c.Parents, c.Excludes, false, (string?)null, (bool?)null),
            AddInstruction a => (a.Sources, (string?)null, a.Chown, a.Chmod, a.Link, false, a.Excludes, true, a.Checksum, a.Unpack),
            _ => throw new ArgumentException("not a COPY or ADD", nameof(instruction)),
        };

        var env = state.Scope.Environment;
        string Word(string word) => SpanExpansion.Expand(instruction.Span, () => session.Lexer.ProcessWord(word, env).Result);
        var paths = sources.Paths.Select(Word).ToList();
        var destination = Word(sources.Destination);
        var inline = sources.Contents.Select(s => s.Expand ? s with { Data = SpanExpansion.Expand(instruction.Span, () => new Dockerfile.Expansion.ShellLexer(session.Lexer.EscapeToken) { RawQuotes = true, RawEscapes = true }.ProcessWord(s.Data, env).Result) } : s).ToList();
        var (source, sourceName) = await SourceAsync(instruction.Span, from is null ? null : Word(from), cancellationToken).ConfigureAwait(false);
        ISourceFileSystem? target = state.Layers.Count == 0
            ? null
            : new LayeredFileSystem(await session.Layers.GetTopFirstAsync(state.Layers, state.Config.RootFs.DiffIds, cancellationToken).ConfigureAwait(false));

        var request = new CopyRequest
        {
            Sources = paths,
            InlineSources = inline,
            Destination = destination,
            WorkingDirectory = string.IsNullOrEmpty(state.Config.Config.WorkingDir) ? "/" : state.Config.Config.WorkingDir,
            Source = source,
            SourceName = sourceName,
            Target = target,
            IsAdd = isAdd,
            Chown = chown is null ? null : Word(chown),
            Chmod = chmod is null ? null : Word(chmod),
            Link = link,
            Parents = parents,
            Excludes = [.. excludes.Select(Word)],
            Checksum = checksum is null ? null : Word(checksum),
            Unpack = unpack,
            CreatedTime = created,
        };

        CopyPlan plan;
        try
        {
            plan = await session.Copier.PlanAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (CopyException e)
        {
            throw new DockerfileException(instruction.Span, e.Message, e);
        }

        var flags = (parents ? " --parents" : "") + (request.Chown is { } o ? " --chown=" + o : "") + (request.Chmod is { } m ? " --chmod=" + m : "");
        var createdBy = (isAdd ? "ADD" : "COPY") + flags + string.Concat(paths.Select(p => " " + p)) + string.Concat(inline.Select(s => " <<" + s.Path))
            + " " + destination + " # buildkit";
        return (plan, createdBy);
    }

    public Task<StageState> CommitAsync(StageState state, CopyPlan plan, string createdBy, StepContext step, CancellationToken cancellationToken) =>
        session.Committer.CommitAsync(state, plan.Entries, new History { Created = step.Created, CreatedBy = createdBy, Comment = "buildkit.dockerfile.v0" }, step.LayerUsedLater, cancellationToken);

    private async Task<(ISourceFileSystem Source, string Name)> SourceAsync(SourceSpan span, string? from, CancellationToken cancellationToken)
    {
        if (from is null)
        {
            return ((await session.ContextAsync(cancellationToken).ConfigureAwait(false)).FileSystem, "context");
        }

        if (session.Request.NamedContexts.TryGetValue(from, out var named) && NamedContexts.Directory(named) is { } directory)
        {
            return (await NamedContexts.FileSystemAsync(directory, cancellationToken).ConfigureAwait(false), from);
        }

        IReadOnlyList<Descriptor> layers;
        IReadOnlyList<Digest> diffIds;
        if (session.Plan.Dockerfile.FindStage(from) is { } stage && session.Plan.Stages.Any(s => s.Stage.Index == stage.Index))
        {
            var built = await session.StageResultAsync(stage.Index).ConfigureAwait(false);
            (layers, diffIds) = (built.Layers, built.Config.RootFs.DiffIds);
        }
        else
        {
            var reference = session.Request.NamedContexts.TryGetValue(from, out var image) ? NamedContexts.ImageReference(image) ?? from : from;
            try
            {
                var resolved = await bases.ResolveAsync(reference, session.Request.Pull, session.Plan.TargetPlatform, cancellationToken).ConfigureAwait(false);
                (layers, diffIds) = (resolved.Layers, resolved.Config.Value.RootFs.DiffIds);
                if (!session.Request.NamedContexts.ContainsKey(from))
                {
                    // BuildKit resolves COPY --from=<image> as a stage of its own, platform-checked at the COPY.
                    session.Lint?.RecordBasePlatform(session, from, session.Plan.TargetPlatform, false, resolved.Config.Value, span);
                }
            }
            catch (BuildException e)
            {
                throw new DockerfileException(span, e.Message, e);
            }
        }

        return (new LayeredFileSystem(await session.Layers.GetTopFirstAsync(layers, diffIds, cancellationToken).ConfigureAwait(false)), from);
    }
}
