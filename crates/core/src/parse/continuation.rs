//! Lines that continue the record above them: a Python traceback, a Java stack trace, a
//! wrapped message, the headers an nginx debug record prints on the lines after it.
//!
//! ```text
//! 2024-03-11 10:00:00,123 ERROR app: payment failed
//! Traceback (most recent call last):
//!   File "app.py", line 3, in <module>
//! ValueError: card declined
//!
//! 2023-05-02 09:12:44.120 ERROR 1 --- [main] o.s.boot.SpringApplication : Application run failed
//! org.springframework.beans.factory.BeanCreationException: Error creating bean
//!     at org.springframework.beans.AbstractBeanFactory.getBean(AbstractBeanFactory.java:208)
//! Caused by: java.net.ConnectException: Connection refused
//!     ... 23 common frames omitted
//! ```
//!
//! Such a line does not parse on its own; counted as a reject it would make a log of
//! tracebacks look mostly unreadable. The shape alone decides, never the lines before.

/// Whether `line`, which did not parse as a record of a format whose records may span
/// lines, is the rest of the record above it: blank, indented, or starting with a word
/// (`Traceback …`, `ValueError: …`, `Caused by: …`, a wrapped sentence) or `... ` rather
/// than with the time a record starts with. A line with control characters (binary
/// garbage) is not.
pub fn continues_a_record(line: &str) -> bool {
    if line.trim().is_empty() || line.starts_with([' ', '\t']) {
        return true;
    }
    let starts_with_a_word = line.starts_with(|c: char| c.is_alphabetic() || c == '.');
    starts_with_a_word && !line.chars().any(|c| c.is_control() && c != '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracebacks_and_stack_traces_continue() {
        for line in [
            "Traceback (most recent call last):",
            "  File \"app.py\", line 3, in <module>",
            "           ^^^^^^^^^^^^",
            "ValueError: card declined",
            "psycopg2.OperationalError: connection to server at \"localhost\" failed",
            "",
            "During handling of the above exception, another exception occurred:",
            "The above exception was the direct cause of the following exception:",
            "org.springframework.beans.factory.BeanCreationException: Error creating bean",
            "java.lang.NullPointerException",
            "\tat com.example.App.main(App.java:12)",
            "Caused by: java.net.ConnectException: Connection refused",
            "... 23 common frames omitted",
            "The last packet sent successfully to the server was 0 milliseconds ago.",
            "AH00558: apache2: Could not reliably determine the server's name",
        ] {
            assert!(continues_a_record(line), "{line:?}");
        }
    }

    #[test]
    fn records_that_failed_and_garbage_do_not() {
        for line in [
            "2024-03-11 10:00:00,123 ERROR app: payment failed",
            "2024/03/11 10:00:00 [error] a record that did not parse",
            "[Sun Dec 04 04:47:44 2005] a record that did not parse",
            "{\"json\": true}",
            "\u{1}\u{2}binary",
            "text\u{0}with a NUL",
        ] {
            assert!(!continues_a_record(line), "{line:?}");
        }
    }
}
