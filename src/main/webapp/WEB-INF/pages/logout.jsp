<%@ page contentType="text/html;charset=UTF-8" pageEncoding="UTF-8" session="false" trimDirectiveWhitespaces="true" %>
<%@ taglib prefix="c" uri="jakarta.tags.core" %>
<c:set var="title" value="Sign out"/>
<%@ include file="head.jspf" %>
<c:choose>
<c:when test="${signedOut}">
<h1>You are signed out</h1>
<p>This browser is no longer signed in to <c:out value="${serverName}"/>. Apps you signed in to stay signed in; sign them out in the apps.</p>
</c:when>
<c:when test="${signedIn}">
<h1>Sign out of <c:out value="${serverName}"/>?</h1>
<form id="logout" method="post" action="logout">
<input type="hidden" name="csrf" value="<c:out value='${csrf}'/>">
<p><button type="submit">Sign out</button></p>
</form>
</c:when>
<c:otherwise>
<h1>You are not signed in</h1>
<p>This browser is not signed in to <c:out value="${serverName}"/>.</p>
</c:otherwise>
</c:choose>
<%@ include file="foot.jspf" %>
