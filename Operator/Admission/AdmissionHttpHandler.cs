using System.Diagnostics;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SecurityOperator.Hosting;
using SecurityOperator.Policy.Conditions;

namespace SecurityOperator.Admission;

/// <summary>The HTTP side of the webhook: routes /validate (and its /enforce and /audit halves), /mutate and /healthz, enforces method, content type, size
/// and deadline, reads the body into a pooled buffer, and hands it to <see cref="AdmissionReviewReader"/> and
/// <see cref="AdmissionReviewer"/>. Every failure becomes an HTTP answer (a Status object) or, when the client is
/// gone, nothing; no exception leaves this class and no buffer outlives its request.</summary>
internal sealed class AdmissionHttpHandler
{
    private static readonly byte[] HealthyBody = "ok\n"u8.ToArray();

    private readonly AdmissionReviewer _reviewer;
    private readonly AdmissionMetrics _metrics;
    private readonly HealthState _health;
    private readonly AdmissionServerOptions _options;
    private readonly ILogger _log;
    private readonly Utf8StringCache _strings = new();
    private readonly DeadlinePool _deadlines = new();

    public AdmissionHttpHandler(AdmissionReviewer reviewer, AdmissionMetrics metrics, HealthState health, AdmissionServerOptions options, ILogger log)
    {
        _reviewer = reviewer;
        _metrics = metrics;
        _health = health;
        _options = options;
        _log = log;
    }

    public Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value;
        return path switch
        {
            "/validate" => AdmitAsync(context, AdmissionEndpoint.Validate),
            "/validate/enforce" => AdmitAsync(context, AdmissionEndpoint.ValidateEnforce),
            "/validate/audit" => AdmitAsync(context, AdmissionEndpoint.ValidateAudit),
            "/mutate" => AdmitAsync(context, AdmissionEndpoint.Mutate),
            "/healthz" => HealthzAsync(context),
            _ => NotFoundAsync(context),
        };
    }

    private async Task AdmitAsync(HttpContext context, AdmissionEndpoint endpoint)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            Refuse(context, endpoint, AdmissionResult.MethodNotAllowed, 405, "MethodNotAllowed", $"{request.Path.Value} accepts only POST");
            return;
        }
        if (!IsJson(request.ContentType))
        {
            Refuse(context, endpoint, AdmissionResult.UnsupportedMediaType, 415, "UnsupportedMediaType",
                $"Content-Type must be application/json (an AdmissionReview), got '{request.ContentType}'");
            return;
        }
        if (request.ContentLength > _options.MaxRequestBodyBytes)
        {
            RefuseTooLarge(context, endpoint);
            return;
        }

        PooledBody body;
        var deadline = _deadlines.Rent(_options.RequestDeadline);
        var cancelRead = deadline.Token.UnsafeRegister(static reader => ((System.IO.Pipelines.PipeReader)reader!).CancelPendingRead(), request.BodyReader);
        try
        {
            body = await RequestBodyReader.ReadAsync(request.BodyReader, request.ContentLength, _options.MaxRequestBodyBytes).ConfigureAwait(false);
        }
        catch (BodyTooLargeException)
        {
            RefuseTooLarge(context, endpoint);
            return;
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            RefuseTooLarge(context, endpoint);
            return;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            // The rest of the body may never come: close after answering rather than let Kestrel wait to drain it.
            context.Response.Headers.Connection = "close";
            Refuse(context, endpoint, AdmissionResult.Timeout, 408, "Timeout",
                $"the request body did not arrive within {_options.RequestDeadline.TotalSeconds:0.###}s");
            return;
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or ConnectionResetException or OperationCanceledException)
        {
            // Truncated body, too slow a client (Kestrel's minimum data rate) or a closed connection: nobody is
            // waiting for an answer that could be used. Counted, not logged: a client can cause it at will.
            _metrics.Count(endpoint, AdmissionOperation.Unknown, AdmissionResult.BadRequest);
            context.Abort();
            return;
        }
        finally
        {
            cancelRead.Dispose();
            _deadlines.Return(deadline);
        }

        // First attempt, synchronous: imageSignature outcomes resolve from the verification caches as the evaluation
        // asks for them, so a warm request is decided in one pass. A miss drops that decision (nothing was sent yet):
        // the targets are verified, then the request is decided again with their outcomes. The warm outcomes are
        // per-thread: nothing may await between BeginWarm and EndWarm.
        try
        {
            var step = _options.ImageSignatures;
            var warm = step?.BeginWarm();
            Decision decision;
            using (ImageSignatureOutcomes.Enter(warm)) decision = Decide(endpoint, body.Span);
            if (step is not null && !step.EndWarm(warm))
            {
                var signatureTargets = step.Collect(body.Span);
                var signatures = signatureTargets is null ? null : await step.VerifyAsync(signatureTargets, context.RequestAborted).ConfigureAwait(false);
                using (ImageSignatureOutcomes.Enter(signatures)) decision = Decide(endpoint, body.Span);
            }
            Send(context, endpoint, decision);
        }
        finally
        {
            body.Dispose();
        }
        // No FlushAsync: the answer has its Content-Length and sits in the response pipe, and Kestrel sends headers and
        // body in one flush when this returns. Flushing here cost a second pass through the output pipeline (3.5 % of
        // the server's CPU under load against 2.2 % for Kestrel's own end-of-response flush) and an await.
    }

    /// <summary>An answer made but not sent: its JSON in this thread's response scratch, which stays valid only until
    /// the thread's next decision, so it is sent before any await.</summary>
    private readonly record struct Decision(ResponseScratch Scratch, int Status, AdmissionOperation Operation, AdmissionResult Result, long Started);

    /// <summary>Parse and decide into the response scratch, synchronously (the per-thread buffers and the body span are
    /// only valid here).</summary>
    private Decision Decide(AdmissionEndpoint endpoint, ReadOnlySpan<byte> body)
    {
        var started = Stopwatch.GetTimestamp();
        var scratch = ResponseScratch.Begin();
        var operation = AdmissionOperation.Unknown;
        AdmissionResult result;
        var status = StatusCodes.Status200OK;
        if (!AdmissionReviewReader.TryRead(body, _strings, out var review, out var error))
        {
            status = StatusCodes.Status400BadRequest;
            result = AdmissionResult.BadRequest;
            StatusWriter.Write(scratch.Json, status, "BadRequest", $"not a valid AdmissionReview: {error}");
        }
        else
        {
            operation = review.Operation;
            try
            {
                result = _reviewer.Review(endpoint, body, review, scratch.Json);
            }
            catch (Exception e)
            {
                // A bug, not bad input: answer 500 (the API server applies the failurePolicy) and keep serving.
                _log.LogError(e, "deciding {Endpoint} request failed: {Reason}", endpoint.Label(), e.Message);
                scratch = ResponseScratch.Begin();
                status = StatusCodes.Status500InternalServerError;
                result = AdmissionResult.Error;
                StatusWriter.Write(scratch.Json, status, "InternalError", "security-operator failed to decide this request; see its log");
            }
        }
        return new Decision(scratch, status, operation, result, started);
    }

    /// <summary>Copies a decision into the response pipe and counts it (only the decision that is sent is counted).</summary>
    private void Send(HttpContext context, AdmissionEndpoint endpoint, in Decision decision)
    {
        WriteJson(context, decision.Status, decision.Scratch);
        _metrics.ObserveDecision(endpoint, Stopwatch.GetElapsedTime(decision.Started));
        _metrics.Count(endpoint, decision.Operation, decision.Result);
    }

    private void RefuseTooLarge(HttpContext context, AdmissionEndpoint endpoint) =>
        Refuse(context, endpoint, AdmissionResult.TooLarge, 413, "RequestEntityTooLarge",
            $"the request body exceeds the limit of {_options.MaxRequestBodyBytes} bytes");

    private void Refuse(HttpContext context, AdmissionEndpoint endpoint, AdmissionResult result, int status, string reason, string message)
    {
        var scratch = ResponseScratch.Begin();
        StatusWriter.Write(scratch.Json, status, reason, message);
        WriteJson(context, status, scratch);
        _metrics.Count(endpoint, AdmissionOperation.Unknown, result);
    }

    private static void WriteJson(HttpContext context, int status, ResponseScratch scratch)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = "application/json";
        var written = scratch.Output.WrittenSpan;
        response.ContentLength = written.Length;
        var pipe = response.BodyWriter;
        written.CopyTo(pipe.GetSpan(written.Length));
        pipe.Advance(written.Length);
    }

    /// <summary>application/json, optionally with parameters (charset): what the API server sends.</summary>
    internal static bool IsJson(string? contentType)
    {
        if (contentType is null) return false;
        var mediaType = contentType.AsSpan();
        var semicolon = mediaType.IndexOf(';');
        if (semicolon >= 0) mediaType = mediaType[..semicolon];
        return mediaType.Trim().Equals("application/json", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The benchmark's baseline: the same TLS listener, a body read and discarded, a constant answer.</summary>
    private async Task HealthzAsync(HttpContext context)
    {
        var reader = context.Request.BodyReader;
        try
        {
            while (true)
            {
                if (!reader.TryRead(out var read)) read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
                reader.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception e) when (e is BadHttpRequestException or IOException or ConnectionResetException or OperationCanceledException)
        {
            context.Abort();
            return;
        }
        var (ok, _) = _health.Live();
        context.Response.StatusCode = ok ? StatusCodes.Status200OK : StatusCodes.Status500InternalServerError;
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.ContentLength = HealthyBody.Length;
        await context.Response.Body.WriteAsync(HealthyBody, context.RequestAborted).ConfigureAwait(false);
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync("404 page not found\n");
    }
}
