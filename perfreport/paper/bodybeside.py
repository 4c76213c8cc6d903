"""The streamed body parsed and written in a forked child while Jinja renders the rest of it here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from perfreport.core.forked import ForkedChild, can_fork, die_with_parent
from perfreport.paper import bodystream
from perfreport.paper.bodystream import (
    BodyWriter,
    StreamedBody,
    Unstreamable,
    relate_links,
    rendered_text,
)

# Why: a 100x paper's body took ~4.4 s on one core, about half of it Jinja making the text (and
# placing ~9,000 pictures) and half lxml parsing it and writing it out (bodystream.BodyWriter),
# while the other core was mostly idle. Past FED_BESIDE_FROM characters of text, a child is
# forked with the writer as it is, and the rest of the text goes to it through a pipe as Jinja
# makes it: the two halves run at once. The child sends back the pieces, with the links' marks
# still in them: the links' relationships are made here, after the pictures' (as bodystream
# makes them). Where there is no fork (Windows, macOS, a process with other threads), or for a
# smaller body, all of it is done here, as before; the bytes are the same either way.
FED_BESIDE_FROM = 1 << 20  # characters of rendered text (a 1x paper's body is ~0.7 MB)
_REFUSED = "unstreamable"  # the child's answer when the text is not what the stream can take


def stream_body(
    template: Any,
    src_xml: str,
    context: Any,
    jinja_env: Any,
    meanwhile: Callable[[], None] | None = None,
    wanted: list[str] | None = None,
) -> StreamedBody:
    """bodystream.stream_body(template, src_xml, context, jinja_env), the same pieces, with a
    long body's text parsed and written in a forked child. ``meanwhile()`` is called after
    each text (~1 MB) is made; ``wanted``: as bodystream.stream_body's.

    Raises lxml's XMLSyntaxError or :class:`Unstreamable` for what only the whole tree can take.
    """
    part = template.docx.part
    writer = BodyWriter(part, wanted)
    texts = rendered_text(template, src_xml, part, context, jinja_env)
    fed = 0
    for text in texts:
        writer.feed(text)
        fed += len(text)
        if meanwhile is not None:
            meanwhile()
        if fed >= FED_BESIDE_FROM and can_fork():
            break
    else:
        return writer.close()
    try:
        feeder = Feeder(writer)
    except OSError:  # the fork refused (a process limit, no memory for the copy): all here
        for text in texts:
            writer.feed(text)
            if meanwhile is not None:
                meanwhile()
        return writer.close()
    del writer  # (the child goes on with it: here it is done with)
    try:
        for text in texts:
            if text and not feeder.feed(text.encode("utf-8")):
                break  # the child has stopped: its answer says why
            if meanwhile is not None:
                meanwhile()
        answer = feeder.result()
    finally:
        feeder.close()
    if answer == _REFUSED:
        raise Unstreamable("the rendered body is not XML the stream can take")
    if answer is None:
        # The child failed or died: the body is streamed here again (the pictures placed so far
        # are found again by the index, with the same numbers).
        return bodystream.stream_body(template, src_xml, context, jinja_env, wanted)
    streamed, links = answer
    relate_links(part, streamed.pieces, links)
    return streamed


class Feeder(ForkedChild):
    """A child forked with ``writer`` as it is, fed the rest of the body's text."""

    def __init__(self, writer: BodyWriter) -> None:
        import multiprocessing

        reader, self._texts = multiprocessing.get_context("fork").Pipe(duplex=False)
        super().__init__(_feed, (reader, writer), "perfreport-body")
        reader.close()

    def feed(self, data: bytes) -> bool:
        """Send the child more of the text (UTF-8); False when it has stopped reading."""
        try:
            self._texts.send_bytes(data)
        except OSError:  # (a broken pipe: the child has stopped, or died)
            return False
        return True

    def result(self) -> tuple[StreamedBody, list[str]] | str | None:
        """The child's writer's pieces and links (BodyWriter.finish), _REFUSED, or None when
        it gave no answer."""
        try:
            self._texts.send_bytes(b"")  # the end of the text
        except OSError:
            pass
        self._texts.close()
        try:
            answer = self._conn.recv()
        except (EOFError, OSError):
            answer = None
        else:
            self._process.join(5)  # it has answered: it is ending (not killed mid-exit)
        self.close()
        return answer


def _feed(sender: Any, reader: Any, writer: BodyWriter) -> None:
    """In the child: feed ``writer`` the text until its end (an empty message), and send what
    it wrote; _REFUSED when the text is not what the stream can take, None when it failed."""
    from lxml import etree

    die_with_parent()
    answer: Any
    try:
        # (its pieces then come back deflated as the .docx holds them: xmlpieces says why)
        writer.deflate()
        while data := reader.recv_bytes():
            writer.feed_bytes(data)
        answer = writer.finish()
    except (etree.XMLSyntaxError, Unstreamable):
        answer = _REFUSED
    except Exception:
        answer = None
    reader.close()  # the render's next text meets a broken pipe: it stops sending
    try:
        sender.send(answer)
    except OSError:  # the render has gone, or stopped waiting
        return
